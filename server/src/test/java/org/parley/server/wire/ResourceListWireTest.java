package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The resource list server over the wire (RFC 4662 with a list from the owner's rls-services,
 * RFC 4826, written over XCAP; C5, UC 5.3): full state first, partial state on a member's
 * change, 421 without eventlist support, 404 for a list that does not exist, 403 for somebody
 * else's list. Members' pres-rules apply to the list's owner: bob allows alice, carol has no rule.
 */
@DisplayName("C5, RFC 4662, RFC 4826: resource list subscriptions over the wire")
class ResourceListWireTest {
    static final String LIST = "sip:alice-buddies@localhost";
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws Exception {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of("presence.notify.min-interval-ms", "0"));
        for (String u : List.of("alice", "bob", "carol", "dora", "erin")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
        server.addUser("fred", "fred-secret", "+15550001111", List.of("bob-pals"));
        server.xcapPut("alice", "alice-secret", "rls-services", "application/rls-services+xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<rls-services xmlns=\"urn:ietf:params:xml:ns:rls-services\" xmlns:rl=\"urn:ietf:params:xml:ns:resource-lists\">\n"
                + "<service uri=\"" + LIST + "\"><list name=\"buddies\"><rl:display-name>Buddies</rl:display-name>"
                + "<rl:entry uri=\"sip:bob@localhost\"><rl:display-name>Bob</rl:display-name></rl:entry>"
                + "<rl:entry uri=\"sip:carol@localhost\"/><rl:entry uri=\"sip:dave@elsewhere.example\"/></list>"
                + "<packages><package>presence</package></packages></service>\n</rls-services>\n");
        server.allowWatcher("bob", "bob-secret", "sip:alice@localhost");
        server.xcapPut("dora", "dora-secret", "rls-services", "application/rls-services+xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rls-services xmlns=\"urn:ietf:params:xml:ns:rls-services\" "
                + "xmlns:rl=\"urn:ietf:params:xml:ns:resource-lists\">\n<service uri=\"sip:dora-list@localhost\"><list>"
                + "<rl:entry uri=\"sip:erin@localhost\"/></list></service>\n</rls-services>\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String subscribe(SipTestClient c, String user, String target, String extra) {
        return TrustedSender.request(c, "SUBSCRIBE", user, target, "Event: presence\r\nExpires: 600\r\n"
                + "Accept: application/pidf+xml, application/rlmi+xml, multipart/related\r\n" + extra, "");
    }

    private static String body(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 4662 §5: full state RLMI with each member's instance, then partial state naming only the member that changed")
    void fullThenPartialState() throws Exception {
        try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret");
             SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            alice.send(subscribe(alice, "alice", LIST, "Supported: eventlist\r\n"));
            SipResponse ok = alice.receiveResponse();
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            assertThat(ok.header("Require")).hasValue("eventlist");

            SipRequest full = alice.receiveRequest();
            alice.send(full.createResponse(200, "a"));
            assertThat(full.header("Require")).hasValue("eventlist");
            assertThat(full.contentType()).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("multipart/related").contains("type=\"application/rlmi+xml\""));
            String rlmi = body(full);
            assertThat(rlmi).contains("fullState=\"true\"", "uri=\"" + LIST + "\"", "<name>Buddies</name>",
                    "<resource uri=\"sip:bob@localhost\"><name>Bob</name><instance", "state=\"active\"",
                    "<resource uri=\"sip:carol@localhost\"><instance", "state=\"pending\"",
                    "<resource uri=\"sip:dave@elsewhere.example\"/>", "Content-Type: application/pidf+xml",
                    "entity=\"sip:bob@localhost\"", "<basic>open</basic>");

            bob.send(TrustedSender.request(bob, "PUBLISH", "bob", "sip:bob@localhost",
                    "Event: presence\r\nExpires: 600\r\nContent-Type: application/pidf+xml\r\n",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                            + "entity=\"sip:bob@localhost\"><tuple id=\"phone\"><status><basic>open</basic></status>"
                            + "<note>out for lunch</note></tuple></presence>"));
            assertThat(bob.receiveResponse().status()).isEqualTo(200);

            SipRequest partial = alice.receiveRequest();
            alice.send(partial.createResponse(200, "a"));
            String change = body(partial);
            assertThat(change).contains("fullState=\"false\"", "version=\"1\"", "sip:bob@localhost", "out for lunch")
                    .doesNotContain("sip:carol@localhost");
        }
    }

    @Test
    @DisplayName("RFC 4662 §4.1: a list subscription without Supported: eventlist gets 421 Require: eventlist")
    void withoutEventlist() throws Exception {
        try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret")) {
            alice.send(subscribe(alice, "alice", LIST, ""));
            SipResponse r = alice.receiveResponse();
            assertThat(r.status()).isEqualTo(421);
            assertThat(r.header("Require")).hasValue("eventlist");
        }
    }

    @Test
    @DisplayName("RFC 4662: a list that does not exist is 404; somebody else's list is 403")
    void unknownAndForeignLists() throws Exception {
        try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret");
             SipTestClient carol = TrustedSender.open(server, "carol", "carol-secret")) {
            alice.send(subscribe(alice, "alice", "sip:no-such-list@localhost", "Supported: eventlist\r\n"));
            assertThat(alice.receiveResponse().status()).isEqualTo(404);
            carol.send(subscribe(carol, "carol", LIST, "Supported: eventlist\r\n"));
            assertThat(carol.receiveResponse().status()).isEqualTo(403);
        }
    }

    @Test
    @DisplayName("UC 5.3, IWF-3, RFC 3857 through the RLS: the member sees the list's owner as a pending watcher, allows it, and the list turns the member active")
    void reactiveAuthorisationThroughAList() throws Exception {
        try (SipTestClient dora = TrustedSender.open(server, "dora", "dora-secret");
             SipTestClient erin = TrustedSender.open(server, "erin", "erin-secret")) {
            erin.send(TrustedSender.request(erin, "SUBSCRIBE", "erin", "sip:erin@localhost",
                    "Event: presence.winfo\r\nExpires: 600\r\n", ""));
            assertThat(erin.receiveResponse().status()).isEqualTo(200);
            SipRequest empty = erin.receiveRequest();
            erin.send(empty.createResponse(200, "e"));
            assertThat(body(empty)).doesNotContain("sip:dora@localhost");

            dora.send(subscribe(dora, "dora", "sip:dora-list@localhost", "Supported: eventlist\r\n"));
            assertThat(dora.receiveResponse().status()).isEqualTo(200);
            SipRequest full = dora.receiveRequest();
            dora.send(full.createResponse(200, "d"));
            assertThat(body(full)).contains("<resource uri=\"sip:erin@localhost\"><instance", "state=\"pending\"");

            SipRequest told = erin.receiveRequest();
            erin.send(told.createResponse(200, "e"));
            assertThat(body(told)).contains("status=\"pending\"", "sip:dora@localhost");

            server.allowWatcher("erin", "erin-secret", "sip:dora@localhost");
            SipRequest active = dora.receiveRequest();
            dora.send(active.createResponse(200, "d"));
            assertThat(body(active)).contains("fullState=\"false\"", "state=\"active\"", "entity=\"sip:erin@localhost\"");
            SipRequest approved = erin.receiveRequest();
            erin.send(approved.createResponse(200, "e"));
            assertThat(body(approved)).contains("status=\"active\"", "event=\"approved\"", "sip:dora@localhost");
        }
    }

    private static java.net.http.HttpResponse<String> putRlsServices(String owner, String serviceUri) throws Exception {
        String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rls-services xmlns=\"urn:ietf:params:xml:ns:rls-services\" "
                + "xmlns:rl=\"urn:ietf:params:xml:ns:resource-lists\">\n<service uri=\"" + serviceUri + "\"><list>"
                + "<rl:entry uri=\"sip:carol@localhost\"/></list></service>\n</rls-services>\n";
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + server.server().httpPort() + "/xcap-root/rls-services/users/sip:" + owner
                                + "@localhost/index"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(doc))
                .header("Content-Type", "application/rls-services+xml")
                .header("Authorization", TestServer.basic(owner, owner + "-secret")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("RFC 4826 §4.3.5, RFC 4825 §11, issue 9 §4: nobody takes a user's address or another's list as a service URI; the user's own subscriptions keep working")
    void serviceUrisAreTheOwnersOnly() throws Exception {
        for (String foreign : List.of("sip:alice@localhost", LIST, "sip:+15550001111@localhost", "sip:bob-list@elsewhere.example")) {
            java.net.http.HttpResponse<String> r = putRlsServices("bob", foreign);
            assertThat(r.statusCode()).as(foreign).isEqualTo(409);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/xcap-error+xml"));
            assertThat(r.body()).as(foreign).contains("<constraint-failure", "sip:bob-&lt;name&gt;@localhost");
        }
        java.net.http.HttpResponse<String> alias = putRlsServices("bob", "sip:bob-pals@localhost");
        assertThat(alias.statusCode()).isEqualTo(409);
        assertThat(alias.body()).contains("<uniqueness-failure", "<exists field=\"", "<alt-value>sip:bob-pals2@localhost</alt-value>");

        try (SipTestClient carol = TrustedSender.open(server, "carol", "carol-secret")) {
            carol.send(TrustedSender.request(carol, "SUBSCRIBE", "carol", "sip:alice@localhost",
                    "Event: presence\r\nExpires: 0\r\n", ""));
            SipResponse r = carol.receiveResponse();
            assertThat(r.status()).as("alice's address is still alice's: " + r.startLine()).isBetween(200, 299);
        }
        assertThat(putRlsServices("bob", "sip:bob-pals2@localhost").statusCode()).isEqualTo(201);
    }
}
