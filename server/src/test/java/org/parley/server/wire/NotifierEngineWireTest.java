package org.parley.server.wire;

import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.parley.sip.message.Via;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * The one RFC 6665 notifier engine and the server's own user agent over the wire (issue 14 §6):
 * the same SUBSCRIBE checks for every package (message-summary, xcap-diff, presence,
 * presence.winfo), dialog state in NOTIFYs (tags, CSeq, route set), a NOTIFY answered 481
 * ending the subscription, and every request the server originates (NOTIFY, "messages waiting"
 * notice, stored message, recipient-list copy) carrying one Via, of the transport it really
 * travels on; and hostile XML (XXE, entity expansion) refused at each door that reads XML.
 */
@DisplayName("RFC 6665 notifier engine and own requests over the wire")
class NotifierEngineWireTest {
    static ManualScheduler clock;
    static TestServer server;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of());
        for (String u : List.of("alice", "bob", "carol", "dave", "erin", "fred", "gina", "hank", "ivy")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A SUBSCRIBE from {@code user} to its own address on its trusted TCP connection. */
    private static String subscribe(SipTestClient c, String user, String event, String callId, int cseq, String extra) {
        return "SUBSCRIBE sip:" + user + "@localhost SIP/2.0\r\nVia: " + c.via() + "\r\n"
                + "From: <sip:" + user + "@localhost>;tag=s1\r\nTo: <sip:" + user + "@localhost>\r\nCall-ID: " + callId
                + "\r\nCSeq: " + cseq + " SUBSCRIBE\r\nContact: <sip:" + user + "@127.0.0.1:" + c.localPort()
                + ";transport=tcp>\r\nEvent: " + event + "\r\nMax-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private static void assertOneViaOfTcp(SipRequest request) {
        List<Via> vias = request.vias();
        assertThat(vias).as("Via of a request the server originated").hasSize(1);
        assertThat(vias.get(0).transport()).isEqualTo("TCP");
        assertThat(vias.get(0).branch()).hasValueSatisfying(b -> assertThat(b).startsWith(Via.MAGIC_COOKIE));
    }

    @Test
    @DisplayName("RFC 6665 §4.2.1.1, RFC 3261 §20.23: Expires below the minimum is 423 with Min-Expires, for every package")
    void intervalTooBrief() throws IOException {
        try (SipTestClient alice = TrustedSender.open(server, "alice", "alice-secret")) {
            for (String event : List.of("message-summary", "xcap-diff", "presence", "presence.winfo")) {
                alice.send(subscribe(alice, "alice", event, UUID.randomUUID().toString(), 1, "Expires: 10\r\n"));
                SipResponse r = alice.receiveResponse();
                assertThat(r.status()).as(event).isEqualTo(423);
                assertThat(r.header("Min-Expires")).as(event).hasValue("60");
            }
        }
    }

    @Test
    @DisplayName("RFC 6665 §8.3.3: a subscriber that accepts none of the package's types gets 406 naming them")
    void notAcceptable() throws IOException {
        try (SipTestClient bob = TrustedSender.open(server, "bob", "bob-secret")) {
            Map<String, String> types = Map.of("message-summary", "application/simple-message-summary",
                    "xcap-diff", "application/xcap-diff+xml", "presence.winfo", "application/watcherinfo+xml");
            for (var e : types.entrySet()) {
                bob.send(subscribe(bob, "bob", e.getKey(), UUID.randomUUID().toString(), 1,
                        "Accept: text/plain\r\nExpires: 600\r\n"));
                SipResponse r = bob.receiveResponse();
                assertThat(r.status()).as(e.getKey()).isEqualTo(406);
                assertThat(r.header("Accept")).as(e.getKey()).hasValue(e.getValue());
            }
        }
    }

    @Test
    @DisplayName("RFC 6665 §4.2.1: bad Expires and no Contact are 400; an unknown dialog is 481; too long is cut to the maximum")
    void malformedAndUnknown() throws IOException {
        try (SipTestClient carol = TrustedSender.open(server, "carol", "carol-secret")) {
            carol.send(subscribe(carol, "carol", "message-summary", UUID.randomUUID().toString(), 1, "Expires: soon\r\n"));
            assertThat(carol.receiveResponse().status()).isEqualTo(400);
            carol.send(subscribe(carol, "carol", "xcap-diff", UUID.randomUUID().toString(), 1, "Expires: 600\r\n")
                    .replaceAll("Contact: [^\r]*\r\n", ""));
            SipResponse noContact = carol.receiveResponse();
            assertThat(noContact.status()).isEqualTo(400);
            assertThat(noContact.reason()).contains("Contact");
            carol.send(subscribe(carol, "carol", "xcap-diff", UUID.randomUUID().toString(), 1, "Expires: 600\r\n")
                    .replaceAll("Contact: [^\r]*\r\n", "Contact: <sip:carol@[::1\r\n"));
            assertThat(carol.receiveResponse().status()).isEqualTo(400);
            carol.send(subscribe(carol, "carol", "message-summary", UUID.randomUUID().toString(), 2, "Expires: 600\r\n")
                    .replace("To: <sip:carol@localhost>", "To: <sip:carol@localhost>;tag=never-issued"));
            assertThat(carol.receiveResponse().status()).isEqualTo(481);

            carol.send(subscribe(carol, "carol", "message-summary", UUID.randomUUID().toString(), 1,
                    "Expires: 4000000000\r\n"));
            SipResponse capped = carol.receiveResponse();
            assertThat(capped.status()).isEqualTo(200);
            assertThat(capped.header("Expires")).hasValue("86400");
            SipRequest notify = carol.receiveRequest();
            assertThat(notify.header("Subscription-State")).hasValue("active;expires=86400");
            carol.send(notify.createResponse(200, "ok"));
        }
    }

    @Test
    @DisplayName("RFC 6665 §4.2.1, RFC 3261 §12.1.1/§12.2.1.1: NOTIFYs carry the dialog (tags, CSeq, Route from Record-Route) and one Via of TCP")
    void dialogStateAndOneVia() throws IOException {
        try (SipTestClient dave = TrustedSender.open(server, "dave", "dave-secret")) {
            String callId = UUID.randomUUID().toString();
            String rr = "Record-Route: <sip:edge1.example.net;lr>, <sip:edge2.example.net;lr>\r\n";
            dave.send(subscribe(dave, "dave", "message-summary", callId, 1, rr + "Expires: 600\r\n"));
            SipResponse ok = dave.receiveResponse();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().values("Record-Route"))
                    .containsExactly("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>");
            assertThat(ok.header("Contact")).hasValueSatisfying(c -> assertThat(c).contains(";transport=tcp"));
            String ourTag = ok.to().tag().orElseThrow();

            SipRequest first = dave.receiveRequest();
            assertThat(first.method()).isEqualTo("NOTIFY");
            assertOneViaOfTcp(first);
            assertThat(first.headers().values("Route"))
                    .containsExactly("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>");
            assertThat(first.requestUri().toString()).isEqualTo("sip:dave@127.0.0.1:" + dave.localPort() + ";transport=tcp");
            assertThat(first.from().tag()).hasValue(ourTag);
            assertThat(first.to().tag()).hasValue("s1");
            assertThat(first.callId()).isEqualTo(callId);
            assertThat(first.header("Max-Forwards")).hasValue("70");
            assertThat(first.header("Event")).hasValue("message-summary");
            dave.send(first.createResponse(200, "ok"));

            // a refresh within the dialog: the NOTIFYs go on counting
            dave.send(subscribe(dave, "dave", "message-summary", callId, 2, "Expires: 600\r\n")
                    .replace("To: <sip:dave@localhost>", "To: <sip:dave@localhost>;tag=" + ourTag));
            assertThat(dave.receiveResponse().status()).isEqualTo(200);
            SipRequest second = dave.receiveRequest();
            assertThat(second.cseq().number()).isGreaterThan(first.cseq().number());
            assertOneViaOfTcp(second);
            dave.send(second.createResponse(200, "ok"));

            // RFC 6665 §4.4.1: Expires 0 ends it with a final NOTIFY saying terminated
            dave.send(subscribe(dave, "dave", "message-summary", callId, 3, "Expires: 0\r\n")
                    .replace("To: <sip:dave@localhost>", "To: <sip:dave@localhost>;tag=" + ourTag));
            assertThat(dave.receiveResponse().status()).isEqualTo(200);
            SipRequest last = dave.receiveRequest();
            assertThat(last.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("terminated"));
            dave.send(last.createResponse(200, "ok"));
        }
    }

    @Test
    @DisplayName("RFC 6665 §4.2.2: a NOTIFY answered 481 ends the subscription: no more NOTIFYs, a refresh gets 481")
    void notifyAnswered481Ends() throws IOException {
        try (SipTestClient erin = TrustedSender.open(server, "erin", "erin-secret");
             SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            String callId = UUID.randomUUID().toString();
            erin.send(subscribe(erin, "erin", "message-summary", callId, 1, "Expires: 600\r\n"));
            SipResponse ok = erin.receiveResponse();
            assertThat(ok.status()).isEqualTo(200);
            SipRequest first = erin.receiveRequest();
            erin.send(first.createResponse(481, "gone"));

            // a message stored for erin changes her mailbox: nobody is told any more
            SipTestClient.Reply busy = erin.answerNext(480);
            assertThat(new Pager(alice, "alice", "alice-secret").send("sip:erin@localhost", "later").status())
                    .isEqualTo(202);
            assertThat(busy.request().method()).isEqualTo("MESSAGE");
            assertThat(erin.silentFor(700)).isTrue();

            erin.send(subscribe(erin, "erin", "message-summary", callId, 2, "Expires: 600\r\n")
                    .replace("To: <sip:erin@localhost>", "To: <sip:erin@localhost>;tag=" + ok.to().tag().orElseThrow()));
            assertThat(erin.receiveResponse().status()).isEqualTo(481);
        }
    }

    @Test
    @DisplayName("UC 5.13: the 'messages waiting' notice and the stored message reach a TCP device with one Via of TCP")
    void ownMessagesHaveOneVia() throws IOException {
        try (SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            assertThat(new Pager(alice, "alice", "alice-secret").send("sip:fred@localhost", "while you were out")
                    .status()).isEqualTo(202);
        }
        try (SipTestClient fred = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            Registration reg = new Registration(fred, "fred");
            assertThat(reg.register("fred-secret", reg.contact("fred"), "3600", "").status()).isEqualTo(200);
            SipRequest notice = fred.receiveRequest();
            assertThat(notice.method()).isEqualTo("MESSAGE");
            assertThat(new String(notice.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("1 message waiting");
            assertOneViaOfTcp(notice);
            assertThat(notice.from().tag()).isPresent();
            assertThat(notice.cseq().number()).isEqualTo(1);
            fred.send(notice.createResponse(200, "ok"));
            SipRequest stored = fred.receiveRequest();
            assertThat(new String(stored.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("while you were out");
            assertOneViaOfTcp(stored);
            fred.send(stored.createResponse(200, "ok"));
        }
    }

    private static String recipientList(String boundary, String listXml) {
        return "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nhello list\r\n"
                + "--" + boundary + "\r\nContent-Type: application/resource-lists+xml\r\n"
                + "Content-Disposition: recipient-list\r\n\r\n" + listXml + "\r\n--" + boundary + "--\r\n";
    }

    @Test
    @DisplayName("RFC 5365 §4.1: a recipient-list copy is the server's own request: one Via, of TCP to a TCP device")
    void listCopyHasOneVia() throws IOException {
        try (SipTestClient gina = SipTestClient.tcp(server.sipPort(Transport.TCP));
             SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(gina, "gina");
            assertThat(reg.register("gina-secret", reg.contact("gina"), "3600", "").status()).isEqualTo(200);
            String body = recipientList("b1", "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>"
                    + "<entry uri=\"sip:gina@localhost\"/></list></resource-lists>");
            SipTestClient.Reply copy = gina.answerNext(200);
            SipResponse r = new Pager(alice, "alice", "alice-secret").send("sip:localhost", "multipart/mixed;boundary=b1",
                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "Require: recipient-list-message\n");
            assertThat(r.status()).isEqualTo(202);
            assertThat(new String(copy.request().body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello list");
            assertOneViaOfTcp(copy.request());
            assertThat(copy.request().from().uri().toString()).isEqualTo("sip:alice@localhost");
            assertThat(reg.register("gina-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("issue 14 §6, OWASP XXE: hostile XML in a recipient list or a PUBLISH is 400, nothing is fetched or delivered")
    void hostileXmlRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>"
                + "<entry uri=\"sip:hank@localhost\"/><entry uri=\"&x;\"/></list></resource-lists>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
                + " entity=\"sip:hank@localhost\"><tuple id=\"t\"><status><basic>open</basic></status><note>&c;</note>"
                + "</tuple></presence>";
        try (SipTestClient hank = TrustedSender.open(server, "hank", "hank-secret");
             SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            SipResponse list = new Pager(alice, "alice", "alice-secret").send("sip:localhost", "multipart/mixed;boundary=b2",
                    recipientList("b2", xxe).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Require: recipient-list-message\n");
            assertThat(list.status()).isEqualTo(400);
            hank.send(TrustedSender.request(hank, "PUBLISH", "hank", "sip:hank@localhost",
                    "Event: presence\r\nExpires: 600\r\nContent-Type: application/pidf+xml\r\n", laughs));
            assertThat(hank.receiveResponse().status()).isEqualTo(400);
            assertThat(hank.silentFor(300)).as("no list copy reached hank").isTrue();
        }
    }

    @Test
    @DisplayName("RFC 6665 §4.2.2: at the end of its lifetime a subscription gets a terminated NOTIFY, for every package")
    void expiry() throws IOException {
        try (SipTestClient ivy = TrustedSender.open(server, "ivy", "ivy-secret")) {
            for (String event : List.of("message-summary", "xcap-diff", "presence.winfo", "presence")) {
                ivy.send(subscribe(ivy, "ivy", event, UUID.randomUUID().toString(), 1, "Expires: 60\r\n"));
                assertThat(ivy.receiveResponse().status()).as(event).isEqualTo(200);
            }
            // every NOTIFY answered before the clock moves, or its transaction would time out with it
            for (var m = ivy.poll(500); m.isPresent(); m = ivy.poll(500)) {
                SipRequest n = (SipRequest) m.get();
                assertThat(n.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("active"));
                ivy.send(n.createResponse(200, "ok"));
            }
            clock.advance(java.time.Duration.ofSeconds(61));
            // the watcher information also hears of ivy's own presence subscription coming and going
            java.util.Set<String> ended = new java.util.HashSet<>();
            for (int i = 0; i < 10 && ended.size() < 4; i++) {
                SipRequest n = ivy.receiveRequest();
                assertOneViaOfTcp(n);
                ivy.send(n.createResponse(200, "ok"));
                if (n.header("Subscription-State").orElseThrow().equals("terminated;reason=timeout")) {
                    ended.add(n.header("Event").orElseThrow());
                }
            }
            assertThat(ended).containsExactlyInAnyOrder("message-summary", "xcap-diff", "presence.winfo", "presence");
        }
    }
}
