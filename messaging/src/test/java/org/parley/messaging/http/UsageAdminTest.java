package org.parley.messaging.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.http.Json;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageRecord;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.messaging.http.MessagingTestServer.assertProblem;
import static org.parley.messaging.http.MessagingTestServer.body;

@DisplayName("PP2-6, PP-49 the operator lists and exports usage records for charging")
class UsageAdminTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final MessagingTestServer http = new MessagingTestServer();

    @BeforeEach
    void traffic() {
        record(0, UsageEvent.ACCEPTED, "sip:alice@example.org", "sip:bob@example.org", Optional.empty());
        record(1, UsageEvent.DELIVERED, "sip:alice@example.org", "sip:bob@example.org", Optional.of(T0.plusSeconds(1)));
        record(60, UsageEvent.ACCEPTED, "sip:bob@example.org", "sip:alice@example.org", Optional.empty());
        record(61, UsageEvent.STORED, "sip:bob@example.org", "sip:alice@example.org", Optional.empty());
        record(3600, UsageEvent.REFUSED, "sip:alice@example.org", "sip:carol@example.org", Optional.empty());
    }

    private void record(long second, UsageEvent event, String sender, String recipient, Optional<Instant> delivered) {
        http.stores.usage().record(new UsageRecord(T0.plusSeconds(second), event, sender, recipient, 42, "text/plain",
                T0.plusSeconds(second), delivered, Optional.of("3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=001"),
                Optional.empty(), "call-" + second, Optional.empty()));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private HttpResponse<String> get(String path) {
        return http.send(http.admin(path).GET());
    }

    @Test
    @DisplayName("a page of records, oldest first, with every charging field")
    void list() {
        HttpResponse<String> response = get("/admin/v1/usage");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode page = body(response);
        assertThat(page.get("total").asLong()).isEqualTo(5);
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("at").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(first.get("event").asText()).isEqualTo("ACCEPTED");
        assertThat(first.get("sender").asText()).isEqualTo("sip:alice@example.org");
        assertThat(first.get("size").asLong()).isEqualTo(42);
        assertThat(first.get("senderAccess").asText()).startsWith("3GPP-E-UTRAN-FDD");
        assertThat(first.get("recipientAccess").isNull()).isTrue();
        assertThat(first.get("deliveredAt").isNull()).isTrue();
        assertThat(page.get("items").get(1).get("deliveredAt").asText()).isEqualTo("2025-03-01T10:00:01Z");
    }

    @Test
    @DisplayName("filters by sender, recipient, event and [from, to), and pages with a total")
    void filtersAndPaging() {
        assertThat(body(get("/admin/v1/usage?sender=sip:alice@example.org")).get("total").asLong()).isEqualTo(3);
        assertThat(body(get("/admin/v1/usage?recipient=sip:alice@example.org&event=stored")).get("items"))
                .extracting(item -> item.get("messageRef").asText()).containsExactly("call-61");
        assertThat(body(get("/admin/v1/usage?event=ACCEPTED")).get("total").asLong()).isEqualTo(2);
        JsonNode period = body(get("/admin/v1/usage?from=2025-03-01T10:00:01Z&to=2025-03-01T11:00:00Z"));
        assertThat(period.get("items")).extracting(item -> item.get("messageRef").asText())
                .containsExactly("call-1", "call-60", "call-61");

        JsonNode page = body(get("/admin/v1/usage?offset=1&limit=2"));
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("items")).extracting(item -> item.get("messageRef").asText())
                .containsExactly("call-1", "call-60");
    }

    @Test
    @DisplayName("bad filter values are 400 problems, not an empty result")
    void badFilters() {
        assertThat(assertProblem(get("/admin/v1/usage?event=sent"), 400).get("detail").asText()).contains("accepted");
        assertProblem(get("/admin/v1/usage?from=yesterday"), 400);
        assertProblem(get("/admin/v1/usage?to=2025-03-01"), 400);
        assertProblem(get("/admin/v1/usage?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z"), 400);
        assertProblem(get("/admin/v1/usage?limit=0"), 400);
        assertProblem(get("/admin/v1/usage?offset=x"), 400);
        assertProblem(get("/admin/v1/usage/export?event=nope"), 400);
        assertProblem(get("/admin/v1/usage/export?from=1234"), 400);
    }

    @Test
    @DisplayName("the export is JSON Lines: application/x-ndjson, one record object per line, filtered")
    void export() throws Exception {
        HttpResponse<String> response = get("/admin/v1/usage/export?sender=sip:alice@example.org");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(response.body()).endsWith("\n");
        List<String> lines = Arrays.asList(response.body().split("\n"));
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode record = Json.mapper().readTree(line);
            assertThat(record.isObject()).as(line).isTrue();
            assertThat(record.get("sender").asText()).isEqualTo("sip:alice@example.org");
        }
        assertThat(Json.mapper().readTree(lines.get(2)).get("event").asText()).isEqualTo("REFUSED");

        HttpResponse<String> none = get("/admin/v1/usage/export?sender=sip:nobody@example.org");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
    }

    @Test
    @DisplayName("usage is behind the admin token")
    void needsTheAdminToken() {
        assertProblem(http.send(http.request("/admin/v1/usage").GET()), 401);
        assertProblem(http.send(http.request("/admin/v1/usage/export").GET()), 401);
    }
}
