package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * REGISTER with SIPp, a third-party SIP peer, over UDP and TCP (C1, GU-1, GU-2, GS-1; RFC 3261
 * §10, §22). SIPp 3.6 answers MD5 challenges only, the default algorithm (C14); SHA-256 is
 * proven by {@link RegisterWireTest}.
 */
@DisplayName("C1, GU-1, GU-2, GS-1: REGISTER scenarios with SIPp")
class RegisterSippTest {
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("sippa", "sippa-secret", null, List.of());
        server.addUser("sippb", "sippb-secret", null, List.of());
        server.addUser("sippc", "sippc-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int port(String transport) {
        return server.sipPort(transport.equals("t1") ? Transport.TCP : Transport.UDP);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"u1", "t1"})
    @DisplayName("REGISTER -> 401 -> REGISTER with credentials -> 200 listing the binding")
    void registerWithDigest(String transport) throws Exception {
        Sipp.Result r = Sipp.run("register-digest.xml", port(transport), transport,
                List.of("sippa;sippa-secret;localhost;600"), 1, "-au", "sippa", "-ap", "sippa-secret");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(server.admin("/admin/v1/registrations?aor=sip:sippa@localhost")).contains("\"userAgent\":\"SIPp register-digest\"");
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"u1", "t1"})
    @DisplayName("wrong password -> 403 after the retry")
    void wrongPassword(String transport) throws Exception {
        Sipp.Result r = Sipp.run("register-wrong-password.xml", port(transport), transport,
                List.of("sippb;wrong-password;localhost"), 1, "-au", "sippb", "-ap", "wrong-password");
        assertThat(r.passed()).as(r.output()).isTrue();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"u1", "t1"})
    @DisplayName("two contacts, refresh, 423 with Min-Expires, Contact: * unregister")
    void lifecycle(String transport) throws Exception {
        Sipp.Result r = Sipp.run("register-lifecycle.xml", port(transport), transport,
                List.of("sippc;sippc-secret;localhost"), 1, "-au", "sippc", "-ap", "sippc-secret");
        assertThat(r.passed()).as(r.output()).isTrue();
    }
}
