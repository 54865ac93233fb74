package org.parley.messaging.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.messaging.http.MessagingTestServer.body;

@DisplayName("PP-10, PP-11, PP2-23, UC 5.6, MO-2, PP2-17, PP2-6, PP-49, GS-1 the OpenAPI document describes the messaging and user APIs")
class OpenApiDocumentTest {
    @Test
    void everyRouteIsDescribedAndEveryReferenceResolves() {
        try (MessagingTestServer http = new MessagingTestServer()) {
            JsonNode doc = body(http.send(http.admin("/admin/v1/openapi.json").GET()));
            JsonNode paths = doc.get("paths");
            assertThat(paths.get("/users/{name}/messaging").has("get")).isTrue();
            assertThat(paths.get("/users/{name}/messaging").has("put")).isTrue();
            assertThat(paths.get("/users/{name}/messaging").has("patch")).isTrue();
            assertThat(paths.at("/~1usage/get/operationId").asText()).isEqualTo("listUsage");
            assertThat(paths.at("/~1usage~1export/get/responses/200/content").has("application/x-ndjson")).isTrue();

            JsonNode me = paths.get("/me/messaging");
            assertThat(me.at("/servers/0/url").asText()).as("the user API's own base").isEqualTo("/api/v1");
            assertThat(me.at("/get/security/0").has("userBasic")).isTrue();
            assertThat(me.at("/patch/security/0").has("userBasic")).isTrue();
            assertThat(me.at("/patch/responses").has("403")).isTrue();
            assertThat(doc.at("/components/securitySchemes/userBasic/scheme").asText()).isEqualTo("basic");

            // issue 14 §4: the contact, directory and whoami routes of the user API are described too
            for (String path : List.of("/whoami", "/contacts", "/contacts/lists", "/contacts/lists/{list}",
                    "/contacts/lists/{list}/entries", "/contacts/lists/{list}/entries/{uri}", "/contacts/requests",
                    "/contacts/requests/approve", "/contacts/requests/decline", "/directory")) {
                assertThat(paths.at("/" + path.replace("~", "~0").replace("/", "~1") + "/servers/0/url").asText())
                        .as(path).isEqualTo("/api/v1");
            }
            assertThat(paths.at("/~1contacts~1requests/get/operationId").asText()).isEqualTo("listContactRequests");

            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            assertThat(refs).isNotEmpty().allSatisfy(ref ->
                    assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }
}
