package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Linphone, a real third-party client, on the server's defaults (C14: the default
 * auth.algorithms is answered; GS-1 digest; RFC 3261 §10 registration; RFC 3428 pager mode, PP-13,
 * UC 5.13): two linphonec processes set up their accounts as README.md shows, register over UDP,
 * and exchange a MESSAGE each way through Parley. Alice's password has spaces in it.
 */
@DisplayName("C14, GS-1, PP-13, RFC 3428: two linphonec clients register on the defaults and exchange MESSAGEs")
class LinphonecTest {
    @TempDir
    Path dir;

    @Test
    void linphonecUsersRegisterAndChat() throws Exception {
        String binary = ExternalTool.find("linphonec", "linphone-cli");
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            server.addUser("alice", "alice secret phrase", null, List.of());
            server.addUser("bob", "bob-secret", null, List.of());
            int port = server.sipPort(Transport.UDP);
            try (Linphonec alice = Linphonec.start(binary, dir.resolve("alice"), "alice");
                 Linphonec bob = Linphonec.start(binary, dir.resolve("bob"), "bob")) {
                alice.login(port, "alice secret phrase");
                bob.login(port, "bob-secret");
                for (Linphonec l : List.of(alice, bob)) {
                    assertThat(awaitBinding(server, l.user())).as("binding of " + l.user() + "\n" + l.output())
                            .contains("Linphonec/").contains("\"transport\":\"UDP\"");
                }

                alice.chat("sip:bob@localhost", "Hello bob, from Linphone through Parley");
                bob.await("Message received from sip:alice@localhost: Hello bob, from Linphone through Parley");
                bob.chat("sip:alice@localhost", "Hi alice, got it");
                alice.await("Message received from sip:bob@localhost: Hi alice, got it");
            }
        }
    }

    /** The user's registrations as the admin API lists them, once there is one (at most 20 s). */
    private static String awaitBinding(TestServer server, String user) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        String bindings = server.admin("/admin/v1/registrations?aor=sip:" + user + "@localhost");
        while (!bindings.contains("\"transport\"") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            bindings = server.admin("/admin/v1/registrations?aor=sip:" + user + "@localhost");
        }
        return bindings;
    }
}
