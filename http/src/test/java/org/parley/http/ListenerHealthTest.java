package org.parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 §1: /health tells the truth about every listener (probed now, not "it once started"),
 * and issue 14 §2: a listener that cannot bind fails the start and names its port.
 */
@DisplayName("GS-4, PP2-11 (monitor service activity): /health probes each listener; an HTTP port that cannot be bound fails the start (issue 9 §1, issue 14 §2)")
class ListenerHealthTest {

    @Test
    @DisplayName("the HTTP listener is probed and UP; a listener that refuses connections is DOWN and /health is 503")
    void deadListenerIsReportedDown() throws Exception {
        try (TestServer http = new TestServer()) {
            JsonNode up = Json.mapper().readTree(http.send(http.request("/health").GET()).body());
            assertThat(up.at("/checks/listener:http").asText()).isEqualTo("UP");

            int closedPort;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            int port = closedPort;
            http.readiness.probe("listener:sip-tcp", () -> ListenerProbe.tcp("127.0.0.1", port));
            HttpResponse<String> down = http.send(http.request("/health").GET());
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode checks = Json.mapper().readTree(down.body()).get("checks");
            assertThat(checks.get("listener:sip-tcp").asText()).isEqualTo("DOWN");
            assertThat(checks.get("listener:http").asText()).isEqualTo("UP");
        }
    }

    @Test
    @DisplayName("a probe that throws counts as DOWN; probe answers are reused for a second, not asked per request")
    void probesAreBoundedAndSafe() {
        Readiness readiness = new Readiness();
        int[] asked = {0};
        readiness.probe("listener:counted", () -> ++asked[0] > 0);
        readiness.probe("listener:broken", () -> {
            throw new IllegalStateException("boom");
        });
        for (int i = 0; i < 50; i++) {
            assertThat(readiness.snapshot()).containsEntry("listener:broken", false).containsEntry("listener:counted", true);
        }
        assertThat(asked[0]).isLessThanOrEqualTo(2);
        assertThat(readiness.ready()).isFalse();
    }

    @Test
    @DisplayName("issue 14 §2: an HTTP port in use fails the start with the port in the message (was: 'up' on port -1)")
    void portInUseFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new TestServer(b -> b.settings(new HttpSettings("127.0.0.1", port, 0,
                    Optional.empty(), 4096))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("HTTP port " + port);
        }
    }
}
