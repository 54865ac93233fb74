package org.parley.messaging.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.http.Json;
import org.parley.messaging.store.JdbiControlsStore;
import org.parley.messaging.store.JdbiUsageLog;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageRecord;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.messaging.http.MessagingTestServer.body;
import static org.parley.messaging.http.MessagingTestServer.json;

/** The resources over the real JDBC stores, as the assembly wires them. */
@DisplayName("PP-10, PP-11, PP2-23, UC 5.6, MO-2, PP2-17, PP2-6, PP-49 messaging API over the database stores")
class JdbiStoresOverHttpTest {
    @Test
    void controlsAndUsageRoundTripThroughTheDatabase() throws Exception {
        try (MessagingTestServer http = new MessagingTestServer(db ->
                new MessagingTestServer.Stores(new JdbiControlsStore(db), new JdbiUsageLog(db)))) {
            HttpResponse<String> put = http.send(json(http.admin("/admin/v1/users/alice/messaging"), "PUT", """
                    {"deliveryEnabled":true,"doNotDisturb":false,"blockedSenders":["sip:Mallory@Example.org"],
                     "operatorSubmissionEnabled":true,"operatorDeliveryEnabled":false,
                     "limits":{"maxBodyBytes":1300,"messagesPerMinute":30,"messagesPerDay":1000,"bytesPerDay":1000000,
                               "allowedContentTypes":["text/plain"],"offlineMaxMessages":50,"offlineMaxBytes":100000}}"""));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(http.send(json(http.user("/api/v1/me/messaging", "alice", MessagingTestServer.ALICE_PASSWORD),
                    "PATCH", "{\"doNotDisturb\":true}")).statusCode()).isEqualTo(200);

            JsonNode read = body(http.send(http.admin("/admin/v1/users/alice/messaging").GET()));
            assertThat(read.get("doNotDisturb").asBoolean()).isTrue();
            assertThat(read.get("operatorDeliveryEnabled").asBoolean()).isFalse();
            assertThat(read.get("blockedSenders").get(0).asText()).isEqualTo("sip:mallory@example.org");
            assertThat(read.at("/limits/allowedContentTypes/0").asText()).isEqualTo("text/plain");

            Instant at = Instant.parse("2025-03-01T10:00:00Z");
            http.stores.usage().record(new UsageRecord(at, UsageEvent.DELIVERED, "sip:bob@example.org",
                    "sip:alice@example.org", 5, "text/plain", at, Optional.of(at), Optional.empty(), Optional.empty(),
                    "call-1", Optional.empty()));
            JsonNode page = body(http.send(http.admin("/admin/v1/usage?event=delivered").GET()));
            assertThat(page.get("total").asLong()).isEqualTo(1);
            HttpResponse<String> export = http.send(http.admin("/admin/v1/usage/export").GET());
            assertThat(export.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
            assertThat(Json.mapper().readTree(export.body().strip())).as("the export line has the page's shape")
                    .isEqualTo(page.get("items").get(0));
        }
    }
}
