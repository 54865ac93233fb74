package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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
    static void start() throws Exception {
        server = TestServer.start(TestServer.tempDir(), new SystemScheduler(), Map.of());
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

            String rules = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" "
                    + "xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\">\n<cr:rule id=\"bob\"><cr:conditions><cr:identity>"
                    + "<cr:one id=\"sip:bob@localhost\"/></cr:identity></cr:conditions><cr:actions><sub-handling>allow"
                    + "</sub-handling></cr:actions><cr:transformations><provide-services><all-services/></provide-services>"
                    + "<provide-persons><all-persons/></provide-persons><provide-devices><all-devices/></provide-devices>"
                    + "<provide-all-attributes/></cr:transformations></cr:rule>\n</cr:ruleset>\n";
            var put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + server.server().httpPort() + "/xcap-root/pres-rules/users/sip:alice@localhost/index"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(rules))
                    .header("Content-Type", "application/auth-policy+xml")
                    .header("Authorization", TestServer.basic("alice", "alice-secret")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isIn(200, 201);

            SipRequest active = bob.receiveRequest();
            bob.send(active.createResponse(200, "b"));
            assertThat(active.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("active"));
            assertThat(new String(active.body(), StandardCharsets.UTF_8)).contains("at my desk").contains("<basic>open</basic>");
        }
    }
}
