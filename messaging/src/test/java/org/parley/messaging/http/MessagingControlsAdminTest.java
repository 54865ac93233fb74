package org.parley.messaging.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.messaging.store.Limits;
import org.parley.messaging.store.MessagingControls;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.messaging.http.MessagingTestServer.assertProblem;
import static org.parley.messaging.http.MessagingTestServer.body;
import static org.parley.messaging.http.MessagingTestServer.json;

@DisplayName("PP-10, PP-11, PP2-23, UC 5.6, MO-2, PP2-17 the operator manages each user's messaging controls")
class MessagingControlsAdminTest {
    private static final String ALICE = "/admin/v1/users/alice/messaging";
    private static final String LIMITS = """
            {"maxBodyBytes":1300,"messagesPerMinute":30,"messagesPerDay":1000,"bytesPerDay":5000000000,
             "allowedContentTypes":["Text/Plain","message/cpim"],"offlineMaxMessages":50,"offlineMaxBytes":3000000}""";
    private static final String FULL = """
            {"deliveryEnabled":false,"doNotDisturb":true,
             "blockedSenders":["sip:Bob@Example.org;transport=tcp","tel:+1-555-123-4567","anonymous"],
             "operatorSubmissionEnabled":false,"operatorDeliveryEnabled":true,"limits":%s}""";

    private final MessagingTestServer http = new MessagingTestServer();
    private final InMemoryControlsStore store = (InMemoryControlsStore) http.stores.controls();

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> get(String path) {
        return http.send(http.admin(path).GET());
    }

    private HttpResponse<String> put(String path, String body) {
        return http.send(json(http.admin(path), "PUT", body));
    }

    private HttpResponse<String> patch(String path, String body) {
        return http.send(json(http.admin(path), "PATCH", body));
    }

    @Test
    @DisplayName("a user with nothing stored has the defaults: everything on, no own limits")
    void defaults() {
        HttpResponse<String> response = get("/admin/v1/users/ALICE/messaging");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode controls = body(response);
        assertThat(controls.get("deliveryEnabled").asBoolean()).isTrue();
        assertThat(controls.get("doNotDisturb").asBoolean()).isFalse();
        assertThat(controls.get("blockedSenders")).isEmpty();
        assertThat(controls.get("operatorSubmissionEnabled").asBoolean()).isTrue();
        assertThat(controls.get("operatorDeliveryEnabled").asBoolean()).isTrue();
        assertThat(controls.get("limits").isNull()).isTrue();
    }

    @Test
    @DisplayName("PUT replaces every setting, storing blocked senders canonical and content types lower-case")
    void put() {
        HttpResponse<String> response = put(ALICE, FULL.formatted(LIMITS));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        Limits limits = new Limits(1300, 30, 1000, 5_000_000_000L, Set.of("text/plain", "message/cpim"), 50, 3_000_000);
        assertThat(store.get("alice")).isEqualTo(new MessagingControls(false, true,
                Set.of("sip:bob@example.org", "tel:+15551234567", "anonymous"), false, true, Optional.of(limits)));
        JsonNode read = body(get(ALICE));
        assertThat(read).isEqualTo(body(response));
        assertThat(read.get("blockedSenders")).extracting(JsonNode::asText)
                .containsExactly("anonymous", "sip:bob@example.org", "tel:+15551234567");
        assertThat(read.at("/limits/bytesPerDay").asLong()).isEqualTo(5_000_000_000L);
        assertThat(read.at("/limits/allowedContentTypes")).extracting(JsonNode::asText)
                .containsExactly("message/cpim", "text/plain");

        assertThat(put(ALICE, FULL.formatted("null")).statusCode()).isEqualTo(200);
        assertThat(store.get("alice").limits()).as("null limits: back to the defaults").isEmpty();
        assertThat(store.get("bob")).as("nobody else touched").isEqualTo(MessagingControls.DEFAULT);
    }

    @Test
    @DisplayName("PATCH changes only what it names; limits null reverts to the defaults")
    void patch() {
        assertThat(put(ALICE, FULL.formatted(LIMITS)).statusCode()).isEqualTo(200);

        HttpResponse<String> response = patch(ALICE, "{\"operatorDeliveryEnabled\":false,\"doNotDisturb\":false}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        MessagingControls patched = store.get("alice");
        assertThat(patched.operatorDeliveryEnabled()).isFalse();
        assertThat(patched.doNotDisturb()).isFalse();
        assertThat(patched.deliveryEnabled()).as("untouched").isFalse();
        assertThat(patched.blockedSenders()).as("untouched").hasSize(3);
        assertThat(patched.limits()).as("untouched").isPresent();

        assertThat(patch(ALICE, "{\"blockedSenders\":[]}").statusCode()).isEqualTo(200);
        assertThat(store.get("alice").blockedSenders()).isEmpty();
        assertThat(patch(ALICE, "{\"limits\":null}").statusCode()).isEqualTo(200);
        assertThat(store.get("alice").limits()).isEmpty();
        assertThat(patch(ALICE, "{\"limits\":" + LIMITS + "}").statusCode()).isEqualTo(200);
        assertThat(store.get("alice").limits()).hasValueSatisfying(l -> assertThat(l.messagesPerMinute()).isEqualTo(30));
        assertThat(patch(ALICE, "{}").statusCode()).as("an empty patch changes nothing").isEqualTo(200);
    }

    @Test
    @DisplayName("an unknown account is 404 for GET, PUT and PATCH, and nothing is stored for it")
    void unknownAccount() {
        assertProblem(get("/admin/v1/users/nobody/messaging"), 404);
        assertProblem(put("/admin/v1/users/nobody/messaging", FULL.formatted("null")), 404);
        assertProblem(patch("/admin/v1/users/nobody/messaging", "{\"doNotDisturb\":true}"), 404);
        assertThat(store.stored).isEmpty();
    }

    @Test
    @DisplayName("invalid documents are 400 problems and change nothing")
    void invalid() {
        String noLimits = FULL.formatted("null");
        for (String bad : new String[] {
                noLimits.replace("\"deliveryEnabled\":false,", ""),
                noLimits.replace("\"anonymous\"", "\"bob@example.org\""),
                noLimits.replace("\"anonymous\"", "\"mailto:bob@example.org\""),
                noLimits.replace("\"anonymous\"", "null"),
                noLimits.replace("\"deliveryEnabled\":false", "\"deliveryEnabled\":\"no\""),
                noLimits.replace("\"doNotDisturb\":true", "\"doNotDisturb\":true,\"quietHours\":1"),
                FULL.formatted(LIMITS.replace("\"messagesPerMinute\":30", "\"messagesPerMinute\":-1")),
                FULL.formatted(LIMITS.replace("\"offlineMaxBytes\":3000000", "\"offlineMaxBytes\":-5")),
                FULL.formatted(LIMITS.replace("\"messagesPerDay\":1000,", "")),
                FULL.formatted(LIMITS.replace("\"Text/Plain\"", "\"text\"")),
                FULL.formatted(LIMITS.replace("\"Text/Plain\"", "\"text/plain; charset=utf-8\"")),
                FULL.formatted(LIMITS.replace("\"maxBodyBytes\":1300", "\"maxBodyBytes\":99999999999")),
                FULL.formatted(LIMITS.replace("\"messagesPerMinute\":30", "\"messagesPerMinute\":1.5")),
                "[]", "null", "{\"deliveryEnabled\":"}) {
            assertProblem(put(ALICE, bad), 400);
        }
        assertProblem(patch(ALICE, "{\"deliveryEnabled\":null}"), 400);
        assertProblem(patch(ALICE, "{\"blockedSenders\":null}"), 400);
        assertProblem(patch(ALICE, "{\"blockedSenders\":[\"sip:\"]}"), 400);
        assertProblem(patch(ALICE, "{\"limits\":{\"maxBodyBytes\":1}}"), 400);
        assertProblem(patch(ALICE, "{\"operatorDeliveryEnabled\":0}"), 400);
        assertProblem(patch(ALICE, "{\"unknown\":true}"), 400);
        JsonNode problem = assertProblem(patch(ALICE, "{\"blockedSenders\":[\"bob\"]}"), 400);
        assertThat(problem.get("detail").asText()).contains("'bob'");
        assertThat(store.stored).isEmpty();
    }

    @Test
    @DisplayName("the controls are behind the admin token (401 without it)")
    void needsTheAdminToken() {
        assertProblem(http.send(http.request(ALICE).GET()), 401);
        assertProblem(http.send(json(http.request(ALICE), "PATCH", "{\"doNotDisturb\":true}")), 401);
        assertProblem(http.send(http.user(ALICE, "alice", MessagingTestServer.ALICE_PASSWORD).GET()), 401);
        assertThat(store.stored).isEmpty();
    }
}
