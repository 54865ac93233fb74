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
 * Presence over the wire in the assembled server (C5; RFC 3903 PUBLISH, RFC 3856 SUBSCRIBE; UC 5.3
 * reactive authorisation, IWF-3): a watcher with no rule is pending, the presentity allows it over
 * XCAP (RFC 5025 pres-rules) and the watcher gets the published document at once.
 */
@DisplayName("C5, RFC 3903, RFC 3856, UC 5.3, IWF-3: publish, pending subscription, allowed over XCAP, NOTIFY")
class PresenceWireTest {
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

    @Test
    void reactiveAuthorisation() throws Exception {
        // no line breaks in bodies: the test client turns every LF into CRLF on the wire
        String pidf = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                + "entity=\"sip:alice@localhost\"><tuple id=\"desk\"><status><basic>open</basic></status>"
                + "<note>at my desk</note></tuple></presence>";
        try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            alice.send(TrustedSender.request(alice, "PUBLISH", "alice", "sip:alice@localhost",
                    "Event: presence\r\nExpires: 600\r\nContent-Type: application/pidf+xml\r\n", pidf));
            SipResponse published = alice.receiveResponse();
            assertThat(published.status()).as(published.startLine()).isEqualTo(200);
            assertThat(published.header("SIP-ETag")).isPresent();

            bob.send(TrustedSender.request(bob, "SUBSCRIBE", "bob", "sip:alice@localhost",
                    "Event: presence\r\nAccept: application/pidf+xml\r\nExpires: 600\r\n", ""));
            assertThat(bob.receiveResponse().status()).as("no rule yet: pending").isEqualTo(202);
            SipRequest pending = bob.receiveRequest();
            assertThat(pending.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("pending"));
            bob.send(pending.createResponse(200, "b"));

            server.allowWatcher("alice", "alice-secret", "sip:bob@localhost");

            SipRequest active = bob.receiveRequest();
            bob.send(active.createResponse(200, "b"));
            assertThat(active.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("active"));
            assertThat(new String(active.body(), StandardCharsets.UTF_8)).contains("at my desk").contains("<basic>open</basic>");
        }
    }
}
