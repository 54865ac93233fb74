package org.parley.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.sip.transaction.SystemScheduler;

/** Issue 14 §2: a listener that cannot bind fails the start and names its port (was: "up", HTTP on port -1). */
@DisplayName("C9, PP2-11 (operator monitoring): a port in use fails the start, naming the port (issue 14 §2)")
class ListenerBindTest {
    @TempDir
    Path dataDir;

    private static ServerSocket taken() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }

    @Test
    @DisplayName("the HTTP port in use")
    void httpPortInUse() throws IOException {
        try (ServerSocket taken = taken()) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> TestServer.start(dataDir, new SystemScheduler(), Map.of("http.port", "" + port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Parley failed to start")
                    .hasMessageContaining("HTTP port " + port);
        }
    }

    @Test
    @DisplayName("the SIP TCP port in use")
    void sipPortInUse() throws IOException {
        try (ServerSocket taken = taken()) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> TestServer.start(dataDir, new SystemScheduler(), Map.of("sip.tcp.port", "" + port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SIP TCP")
                    .hasMessageContaining(":" + port);
        }
    }
}
