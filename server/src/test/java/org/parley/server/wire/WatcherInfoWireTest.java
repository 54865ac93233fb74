package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;

/**
 * Watcher information over the wire in the assembled server (RFC 3857 presence.winfo, RFC 3858
 * application/watcherinfo+xml): the presentity learns of a pending watcher, allows it over XCAP
 * (RFC 5025 pres-rules) and learns that it is active — reactive authorisation as UC 5.3 (IWF-3)
 * describes it.
 */
@DisplayName("UC 5.3, IWF-3, RFC 3857, RFC 3858")
class WatcherInfoWireTest {
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws Exception {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("alice", "alice-secret", null, List.of());
        server.addUser("bob", "bob-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The next winfo NOTIFY on {@code c}, answered 200; its body. */
    private static String winfo(SipTestClient c) throws Exception {
        SipRequest n = c.receiveRequest();
        c.send(n.createResponse(200, "a"));
        assertThat(n.method()).isEqualTo("NOTIFY");
        assertThat(n.header("Event")).hasValue("presence.winfo");
        assertThat(n.header("Content-Type")).hasValue("application/watcherinfo+xml");
        assertThat(n.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("active"));
        return new String(n.body(), StandardCharsets.UTF_8);
    }

    @Test
    void reactiveAuthorisationWithWatcherInfo() throws Exception {
        try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            bob.send(TrustedSender.request(bob, "SUBSCRIBE", "bob", "sip:alice@localhost",
                    "Event: presence.winfo\r\nAccept: application/watcherinfo+xml\r\nExpires: 600\r\n", ""));
            assertThat(bob.receiveResponse().status()).as("only the presentity sees its watchers").isEqualTo(403);

            alice.send(TrustedSender.request(alice, "SUBSCRIBE", "alice", "sip:alice@localhost",
                    "Event: presence.winfo\r\nAccept: application/watcherinfo+xml\r\nExpires: 600\r\n", ""));
            SipResponse ok = alice.receiveResponse();
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            String full = winfo(alice);
            assertThat(full).contains("<watcherinfo xmlns=\"urn:ietf:params:xml:ns:watcherinfo\" version=\"0\" state=\"full\">")
                    .contains("<watcher-list resource=\"sip:alice@localhost\" package=\"presence\">")
                    .doesNotContain("<watcher ");

            bob.send(TrustedSender.request(bob, "SUBSCRIBE", "bob", "sip:alice@localhost",
                    "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", ""));
            assertThat(bob.receiveResponse().status()).as("no rule yet: pending").isEqualTo(202);
            SipRequest pending = bob.receiveRequest();
            bob.send(pending.createResponse(200, "b"));
            assertThat(pending.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("pending"));

            String bobPending = winfo(alice);
            assertThat(bobPending).contains("version=\"1\"").contains("state=\"partial\"")
                    .containsPattern("<watcher id=\"[^\"]+\" event=\"subscribe\" status=\"pending\">sip:bob@localhost</watcher>");

            server.allowWatcher("alice", "alice-secret", "sip:bob@localhost");

            SipRequest active = bob.receiveRequest();
            bob.send(active.createResponse(200, "b"));
            assertThat(active.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("active"));

            String bobActive = winfo(alice);
            assertThat(bobActive).contains("version=\"2\"").contains("state=\"partial\"")
                    .containsPattern("<watcher id=\"[^\"]+\" event=\"approved\" status=\"active\">sip:bob@localhost</watcher>");
        }
    }
}
