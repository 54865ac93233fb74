package org.parley.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** C9 monitor service activity (PP2-11): readiness for operators' probes and Prometheus metrics. */
@DisplayName("C9 /health and /metrics over real HTTP (PP2-11)")
class HealthAndMetricsTest {
    private final TestServer http = new TestServer();

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void healthIsDownUntilEveryCheckIsUp() throws Exception {
        http.readiness.register("sip");

        HttpResponse<String> before = http.send(http.request("/health").GET());
        assertThat(before.statusCode()).isEqualTo(503);
        JsonNode down = Json.mapper().readTree(before.body());
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/checks/sip").asText()).isEqualTo("DOWN");
        assertThat(down.at("/checks/http").asText()).isEqualTo("UP");

        http.readiness.up("sip");
        HttpResponse<String> after = http.send(http.request("/health").GET());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(Json.mapper().readTree(after.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    @DisplayName("HEAD /health answers the same status as GET, with no body (RFC 9110 §9.3.2)")
    void headHealthGivesTheStatusOnly() {
        http.readiness.register("sip");
        HttpResponse<String> down = http.send(http.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEmpty();

        http.readiness.up("sip");
        assertThat(http.send(http.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void healthNeedsNoToken() {
        assertThat(http.send(http.request("/health").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        http.registry.counter("parley_test_requests", "method", "MESSAGE").increment(3);

        HttpResponse<String> response = http.send(http.request("/metrics").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(response.body())
                .contains("# TYPE parley_test_requests_total counter")
                .containsPattern("parley_test_requests_total\\{method=\"MESSAGE\"} 3(\\.0)?");
    }
}
