package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * A real third-party client registers through Parley (C1, GS-1): sipsak's usrloc mode answers
 * the digest challenge (MD5, the default algorithm, C14) and the binding appears.
 */
@DisplayName("C1, GS-1: sipsak registers with digest authentication")
class SipsakTest {
    @TempDir
    Path dataDir;

    @Test
    void sipsakRegisters() throws Exception {
        String sipsak = ExternalTool.find("sipsak", "sipsak");
        try (TestServer server = TestServer.start(dataDir, new SystemScheduler(), Map.of())) {
            server.addUser("kim", "kim-secret", null, List.of());
            Process p = new ProcessBuilder(sipsak, "-U", "-C", "sip:kim@127.0.0.1:15099", "-s", "sip:kim@localhost",
                    "-p", "127.0.0.1:" + server.sipPort(Transport.UDP), "-a", "kim-secret", "-u", "kim", "-x", "600", "-i", "-vv")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("sipsak did not finish: " + out);
            }
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("successful");
            assertThat(server.admin("/admin/v1/registrations?aor=sip:kim@localhost")).contains("sip:kim@127.0.0.1:15099");
        }
    }
}
