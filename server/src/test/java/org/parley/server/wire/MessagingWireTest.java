package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.messaging.store.JdbiUsageLog;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageQuery;
import org.parley.messaging.store.UsageRecord;
import org.parley.server.TestServer;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * Pager-mode messaging over the wire (RFC 3428; C2): delivery to every device (PP-13, UC 5.13),
 * sender authentication (GS-1), offline store-and-forward in order (MU-3, MT-3, PP2-13), expiry
 * with non-delivery notices (PP2-33, PP2-34, MT-2, PP-15), quota, 404 (PP2-31), 413, privacy
 * (PP-22, PP-23), block list (PP2-23), delivery off (PP-11), do-not-disturb (UC 5.6), usage
 * records (PP2-6, PP-49). The server runs on a manual clock.
 */
@DisplayName("C2: pager-mode messaging over the wire")
class MessagingWireTest {
    static ManualScheduler clock;
    static TestServer server;
    static JdbiUsageLog usage;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of("messaging.offline-max-messages", "3"));
        for (String u : List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "jack", "kate")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
        server.addUser("lena", "lena-secret", "+4930123456", List.of("lena.l"));
        server.addUser("mike", "mike-secret", null, List.of());
        server.addUser("nina", "nina-secret", null, List.of());
        usage = new JdbiUsageLog(server.server().context().database());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SipTestClient udp() throws IOException {
        return SipTestClient.udp(server.sipPort(Transport.UDP));
    }

    private static void register(SipTestClient device, String user) throws IOException {
        Registration reg = new Registration(device, user);
        assertThat(reg.register(user + "-secret", reg.contact(user), "3600", "").status()).isEqualTo(200);
    }

    private static void unregister(SipTestClient device, String user) throws IOException {
        Registration reg = new Registration(device, user);
        assertThat(reg.register(user + "-secret", "*", "0", "").status()).isEqualTo(200);
    }

    private static String text(SipRequest m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("PP-13, UC 5.13, GS-1, PP2-6: 407 then delivery; the device's 200 is relayed; identity asserted; one usage record")
    void deliveredEndToEnd() throws IOException {
        try (SipTestClient bobPhone = udp(); SipTestClient alice = udp()) {
            register(bobPhone, "bob");
            Pager pager = new Pager(alice, "alice", "alice-secret");
            SipTestClient.Reply reply = bobPhone.answerNext(200);
            SipResponse r = pager.send("sip:bob@localhost", "Grüße ✓");
            assertThat(r.status()).isEqualTo(200);
            SipRequest got = reply.request();
            assertThat(text(got)).isEqualTo("Grüße ✓");
            assertThat(got.header("P-Asserted-Identity")).hasValue("<sip:alice@localhost>");
            // PP2-6, PP-49, issue 13 §2: one record per message delivered at once, sent and delivered times in it
            assertThat(records("sip:bob@localhost")).filteredOn(u -> u.messageRef().equals(r.callId()))
                    .singleElement().satisfies(u -> {
                        assertThat(u.event()).isEqualTo(UsageEvent.DELIVERED);
                        assertThat(u.sender()).isEqualTo("sip:alice@localhost");
                        assertThat(u.deliveredAt()).hasValueSatisfying(d -> assertThat(d).isAfterOrEqualTo(u.sentAt()));
                    });
            unregister(bobPhone, "bob");
        }
    }

    @Test
    @DisplayName("MU-3, MT-3, PP2-13: offline -> 202; on REGISTER a summary, then every message oldest first")
    void offlineStoreAndForward() throws IOException {
        try (SipTestClient alice = udp()) {
            Pager pager = new Pager(alice, "alice", "alice-secret");
            for (int i = 1; i <= 3; i++) {
                SipResponse r = pager.send("sip:carol@localhost", "offline " + i);
                assertThat(r.status()).as(r.startLine()).isEqualTo(202);
            }
            SipResponse full = pager.send("sip:carol@localhost", "one too many");
            assertThat(full.status()).isEqualTo(480);
            assertThat(full.reason()).contains("store is full");
        }
        try (SipTestClient carol = udp()) {
            register(carol, "carol");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SipRequest m = carol.receiveRequest();
                got.add(text(m));
                carol.send(m.createResponse(200, "c"));
            }
            assertThat(got.get(0)).contains("3 messages waiting");
            assertThat(got.subList(1, 4)).containsExactly("offline 1", "offline 2", "offline 3");
            assertThat(carol.silentFor(300)).isTrue();
            assertThat(records("sip:carol@localhost")).extracting(UsageRecord::event)
                    .contains(UsageEvent.STORED, UsageEvent.DELIVERED, UsageEvent.REFUSED);
            unregister(carol, "carol");
        }
    }

    @Test
    @DisplayName("PP2-33, MT-2, PP-15: a stored message that expires gives the sender a notice; IMDN when asked for")
    void expiryNotices() throws IOException {
        try (SipTestClient alice = udp()) {
            register(alice, "alice");
            Pager pager = new Pager(alice, "alice", "alice-secret");
            assertThat(pager.send("sip:dave@localhost", "text/plain", "soon gone".getBytes(StandardCharsets.UTF_8),
                    "Expires: 60\n").status()).isEqualTo(202);
            byte[] cpim = ("From: <sip:alice@localhost>\r\nTo: <sip:dave@localhost>\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
                    + "imdn.Message-ID: 34jk324j\r\nDateTime: 2025-01-01T00:00:00Z\r\n"
                    + "imdn.Disposition-Notification: positive-delivery, negative-delivery\r\n\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.UTF_8);
            assertThat(pager.send("sip:dave@localhost", "message/cpim", cpim, "Expires: 60\n").status()).isEqualTo(202);
            assertThat(alice.silentFor(200)).as("no delivery notice for a stored message (PP-15)").isTrue();

            clock.advance(Duration.ofSeconds(61));
            server.server().expireMessagesNow();
            // UDP notices may come twice (Timer E fired while the clock moved): count them by Call-ID
            Map<String, SipRequest> byCallId = new java.util.LinkedHashMap<>();
            for (Optional<SipMessage> m = alice.poll(5000); m.isPresent(); m = alice.poll(300)) {
                SipRequest n = (SipRequest) m.get();
                alice.send(n.createResponse(200, "a"));
                byCallId.put(n.callId(), n);
            }
            List<SipRequest> notices = List.copyOf(byCallId.values());
            assertThat(notices).hasSize(2);
            assertThat(notices).allSatisfy(n -> assertThat(n.from().uri().toString()).isEqualTo("sip:parley@localhost"));
            assertThat(notices).anySatisfy(n -> assertThat(text(n)).contains("could not be delivered"));
            assertThat(notices).anySatisfy(n -> {
                assertThat(n.contentType()).hasValue("message/cpim");
                assertThat(text(n)).contains("<message-id>34jk324j</message-id>").contains("<failed/>");
            });
            assertThat(records("sip:dave@localhost")).extracting(UsageRecord::event).contains(UsageEvent.EXPIRED);
            unregister(alice, "alice");
        }
    }

    @Test
    @DisplayName("PP2-31, 413: unknown recipient 404; a body above the pager limit 413 with a reason")
    void unknownAndOversized() throws IOException {
        try (SipTestClient alice = udp()) {
            Pager pager = new Pager(alice, "alice", "alice-secret");
            assertThat(pager.send("sip:nobody@localhost", "x").status()).isEqualTo(404);
            SipResponse big = pager.send("sip:bob@localhost", "text/plain", new byte[1301], "");
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.reason()).contains("1301").contains("1300");
        }
    }

    @Test
    @DisplayName("PP-22: an anonymous sender's identity is hidden from the recipient")
    void anonymous() throws IOException {
        try (SipTestClient erin = udp(); SipTestClient alice = udp()) {
            register(erin, "erin");
            Pager pager = new Pager(alice, "alice", "alice-secret");
            SipTestClient.Reply reply = erin.answerNext(200);
            assertThat(pager.send("sip:erin@localhost", "text/plain", "psst".getBytes(StandardCharsets.UTF_8),
                    "Privacy: id\n").status()).isEqualTo(200);
            SipRequest got = reply.request();
            assertThat(got.from().uri().toString()).isEqualTo("sip:anonymous@anonymous.invalid");
            assertThat(got.header("P-Asserted-Identity")).isEmpty();
            assertThat(new String(got.encode(), StandardCharsets.UTF_8)).doesNotContain("alice");
            unregister(erin, "erin");
        }
    }

    @Test
    @DisplayName("PP2-23, PP-11, UC 5.6, PP-10: block list, delivery off, do-not-disturb with a notice, operator off")
    void recipientControls() throws Exception {
        try (SipTestClient frank = udp(); SipTestClient alice = udp()) {
            register(frank, "frank");
            Pager pager = new Pager(alice, "alice", "alice-secret");
            server.messagingControls("frank", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[\"sip:alice@localhost\"],\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
            assertThat(pager.send("sip:frank@localhost", "hi").status()).isEqualTo(603);
            server.messagingControls("frank", "{\"deliveryEnabled\":false,\"doNotDisturb\":false,\"blockedSenders\":[],\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
            SipResponse off = pager.send("sip:frank@localhost", "hi");
            assertThat(off.status()).isEqualTo(480);
            assertThat(off.reason()).contains("turned message delivery off");
            server.messagingControls("frank", "{\"deliveryEnabled\":true,\"doNotDisturb\":true,\"blockedSenders\":[],\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
            SipTestClient.Reply notice = frank.answerNext(200);
            SipResponse dnd = pager.send("sip:frank@localhost", "hi");
            assertThat(dnd.status()).isEqualTo(480);
            assertThat(dnd.reason()).contains("not available");
            assertThat(text(notice.request())).contains("Attempted contact from sip:alice@localhost");
            server.messagingControls("frank", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":false}");
            assertThat(pager.send("sip:frank@localhost", "hi").status()).isEqualTo(403);
            server.messagingControls("alice", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],\"operatorSubmissionEnabled\":false,\"operatorDeliveryEnabled\":true}");
            assertThat(pager.send("sip:frank@localhost", "hi").status()).isEqualTo(403);
            server.messagingControls("alice", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
            server.messagingControls("frank", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
            unregister(frank, "frank");
        }
    }

    @Test
    @DisplayName("GS-1: a request on the TCP connection the sender registered on is trusted without a new challenge")
    void authenticatedFlowIsTrusted() throws IOException {
        try (SipTestClient gina = SipTestClient.tcp(server.sipPort(Transport.TCP)); SipTestClient hank = udp()) {
            register(gina, "gina");
            register(hank, "hank");
            SipTestClient.Reply reply = hank.answerNext(200);
            gina.send(Pager.message(gina, "gina", "sip:hank@localhost", "text/plain", "tcp".getBytes(StandardCharsets.UTF_8), "", null)
                    + "tcp");
            assertThat(gina.receiveResponse().status()).isEqualTo(200);
            assertThat(text(reply.request())).isEqualTo("tcp");
            unregister(gina, "gina");
            unregister(hank, "hank");
        }
    }

    @Test
    @DisplayName("PP-11, UC 5.6, PP-10, PP2-6: settings through the user and admin APIs act on SIP; usage exported as JSON lines")
    void controlsThroughTheApis() throws Exception {
        try (SipTestClient hank = udp(); SipTestClient alice = udp()) {
            register(hank, "hank");
            Pager pager = new Pager(alice, "alice", "alice-secret");
            var off = server.http("PATCH", "/api/v1/me/messaging", "{\"deliveryEnabled\":false}", TestServer.basic("hank", "hank-secret"));
            assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
            assertThat(pager.send("sip:hank@localhost", "while off").status()).isEqualTo(480);
            assertThat(server.http("PATCH", "/api/v1/me/messaging", "{\"deliveryEnabled\":true}",
                    TestServer.basic("hank", "wrong")).statusCode()).isEqualTo(401);
            assertThat(server.http("PATCH", "/api/v1/me/messaging", "{\"operatorDeliveryEnabled\":false}",
                    TestServer.basic("hank", "hank-secret")).statusCode()).isEqualTo(403);
            assertThat(server.http("PATCH", "/admin/v1/users/hank/messaging", "{\"deliveryEnabled\":true,\"operatorDeliveryEnabled\":false}",
                    "Bearer test-admin-token").statusCode()).isEqualTo(200);
            assertThat(pager.send("sip:hank@localhost", "operator off").status()).isEqualTo(403);
            assertThat(server.http("PATCH", "/admin/v1/users/hank/messaging", "{\"operatorDeliveryEnabled\":true}",
                    "Bearer test-admin-token").statusCode()).isEqualTo(200);
            SipTestClient.Reply reply = hank.answerNext(200);
            assertThat(pager.send("sip:hank@localhost", "on again").status()).isEqualTo(200);
            assertThat(text(reply.request())).isEqualTo("on again");
            var export = server.http("GET", "/admin/v1/usage/export?recipient=sip:hank@localhost", null, "Bearer test-admin-token");
            assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("ndjson"));
            assertThat(export.body().lines()).anyMatch(l -> l.contains("\"DELIVERED\"")).anyMatch(l -> l.contains("\"REFUSED\""));
            unregister(hank, "hank");
        }
    }

    @Test
    @DisplayName("PP2-37, GIM-4, RFC 5365: one MESSAGE to a recipient list reaches each; unknown recipients and lists are reported back")
    void recipientList() throws IOException {
        try (SipTestClient ivy = udp(); SipTestClient alice = udp()) {
            register(ivy, "ivy");
            register(alice, "alice");
            String boundary = "b0undary";
            String body = "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nhello all\r\n"
                    + "--" + boundary + "\r\nContent-Type: application/resource-lists+xml\r\n"
                    + "Content-Disposition: recipient-list\r\n\r\n"
                    + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                    + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>"
                    + "<entry uri=\"sip:ivy@localhost\"/><entry uri=\"sip:jack@localhost\"/>"
                    + "<entry uri=\"sip:nobody@localhost\"/>"
                    + "<external anchor=\"http://localhost/xcap-root/resource-lists/users/sip:alice@localhost/index/~~/"
                    + "resource-lists/list%5b@name=%22friends%22%5d\"/></list></resource-lists>\r\n"
                    + "--" + boundary + "--\r\n";
            SipTestClient.Reply toIvy = ivy.answerNext(200);
            SipResponse r = new Pager(alice, "alice", "alice-secret").send("sip:localhost",
                    "multipart/mixed;boundary=" + boundary, body.getBytes(StandardCharsets.UTF_8),
                    "Require: recipient-list-message\n");
            assertThat(r.status()).isEqualTo(202);
            assertThat(text(toIvy.request())).isEqualTo("hello all");
            assertThat(toIvy.request().contentType()).hasValue("text/plain");
            SipRequest report = alice.receiveRequest();
            alice.send(report.createResponse(200, "a"));
            assertThat(text(report)).contains("sip:nobody@localhost: 404").contains("no such stored list")
                    .doesNotContain("ivy@").doesNotContain("jack@");
            assertThat(records("sip:jack@localhost")).extracting(UsageRecord::event).contains(UsageEvent.STORED);
            unregister(ivy, "ivy");
            unregister(alice, "alice");
        }
    }

    @Test
    @DisplayName("PP-15, GS-6, RFC 5438: IMDN for a stored message: nothing on storage, the device's own notification on delivery")
    void imdnRoundTripWithStoredMessage() throws IOException {
        byte[] cpim = ("From: <sip:bob@localhost>\r\nTo: <sip:jack@localhost>\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
                + "imdn.Message-ID: m-4711\r\nDateTime: 2025-01-01T00:00:00Z\r\n"
                + "imdn.Disposition-Notification: positive-delivery\r\n\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nhey").getBytes(StandardCharsets.UTF_8);
        try (SipTestClient bob = udp()) {
            register(bob, "bob");
            assertThat(new Pager(bob, "bob", "bob-secret").send("sip:jack@localhost", "message/cpim", cpim, "").status())
                    .isEqualTo(202);
            assertThat(bob.silentFor(300)).as("no positive notification when only stored").isTrue();
            try (SipTestClient jack = udp()) {
                register(jack, "jack");
                SipRequest got;
                do {
                    got = jack.receiveRequest();
                    jack.send(got.createResponse(200, "j"));
                } while (!got.contentType().orElse("").startsWith("message/cpim"));
                assertThat(got.body()).isEqualTo(cpim);
                String imdn = "From: <sip:jack@localhost>\r\nTo: <sip:bob@localhost>\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
                        + "imdn.Message-ID: n-1\r\nDateTime: 2025-01-01T00:00:05Z\r\n\r\n"
                        + "Content-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n"
                        + "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m-4711</message-id>"
                        + "<delivery-notification><status><delivered/></status></delivery-notification></imdn>";
                SipTestClient.Reply atBob = bob.answerNext(200);
                assertThat(new Pager(jack, "jack", "jack-secret").send("sip:bob@localhost", "message/cpim",
                        imdn.getBytes(StandardCharsets.UTF_8), "").status()).isEqualTo(200);
                assertThat(text(atBob.request())).contains("<delivered/>").contains("m-4711");
                unregister(jack, "jack");
            }
            unregister(bob, "bob");
        }
    }

    @Test
    @DisplayName("RFC 3842, UC 5.13: a device subscribed to message-summary hears the waiting count change")
    void messageSummarySubscription() throws IOException {
        try (SipTestClient kate = TrustedSender.open(server, "kate", "kate-secret"); SipTestClient alice = udp()) {
            String callId = java.util.UUID.randomUUID().toString();
            String subscribe = "SUBSCRIBE sip:kate@localhost SIP/2.0\r\nVia: " + kate.via() + "\r\n"
                    + "From: <sip:kate@localhost>;tag=k1\r\nTo: <sip:kate@localhost>\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: %d SUBSCRIBE\r\nContact: <sip:kate@127.0.0.1:" + kate.localPort() + ";transport=tcp>\r\n"
                    + "Event: message-summary\r\nAccept: application/simple-message-summary\r\nExpires: %d\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            kate.send(String.format(subscribe, 1, 600));
            SipResponse ok = kate.receiveResponse();
            assertThat(ok.status()).isEqualTo(200);
            SipRequest first = kate.receiveRequest();
            assertThat(first.method()).isEqualTo("NOTIFY");
            assertThat(first.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("active"));
            assertThat(text(first)).contains("Messages-Waiting: no").contains("Message-Account: sip:kate@localhost");
            kate.send(first.createResponse(200, "k"));

            SipTestClient.Reply busy = kate.answerNext(480);
            assertThat(new Pager(alice, "alice", "alice-secret").send("sip:kate@localhost", "for later").status()).isEqualTo(202);
            assertThat(busy.request().method()).isEqualTo("MESSAGE");
            SipRequest update = kate.receiveRequest();
            assertThat(update.method()).isEqualTo("NOTIFY");
            assertThat(text(update)).contains("Messages-Waiting: yes").contains("Text-Message: 1/0");
            kate.send(update.createResponse(200, "k"));

            kate.send(String.format(subscribe, 2, 0).replace("To: <sip:kate@localhost>", "To: <sip:kate@localhost>;tag=" + ok.to().tag().orElseThrow()));
            assertThat(kate.receiveResponse().status()).isEqualTo(200);
            SipRequest last = kate.receiveRequest();
            assertThat(last.header("Subscription-State")).hasValueSatisfying(v -> assertThat(v).startsWith("terminated"));
            kate.send(last.createResponse(200, "k"));
        }
    }

    private static List<UsageRecord> records(String recipient) throws IOException {
        // usage records are written in batches off the request path; a read through the admin API
        // returns only once everything recorded before it is in the database
        try {
            server.admin("/admin/v1/usage?limit=1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return usage.list(new UsageQuery(Optional.empty(), Optional.of(recipient), Optional.empty(), Optional.empty(),
                Optional.empty()), 0, 1000).items();
    }

    private static byte[] cpim(String from, String to, String contentType, String content) {
        return ((from == null ? "" : "From: " + from + "\r\n") + "To: <" + to + ">\r\n"
                + "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: " + java.util.UUID.randomUUID() + "\r\n"
                + "DateTime: 2025-01-01T00:00:00Z\r\n\r\nContent-Type: " + contentType + "\r\n\r\n" + content)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 3862 §7, issue 9 §5: a CPIM From naming another user is refused 403; the sender's own identities and anonymous pass")
    void cpimFromIsTheAuthenticatedSender() throws IOException {
        try (SipTestClient mikePhone = udp(); SipTestClient lenaPhone = udp()) {
            register(mikePhone, "mike");
            Pager lena = new Pager(lenaPhone, "lena", "lena-secret");
            SipResponse forged = lena.send("sip:mike@localhost", "message/cpim",
                    cpim("<sip:alice@localhost>", "sip:mike@localhost", "text/plain", "it is me, alice"), "");
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.reason()).contains("CPIM From");
            assertThat(lena.send("sip:mike@localhost", "message/cpim",
                    cpim("Alice <im:alice@localhost>", "sip:mike@localhost", "text/plain", "x"), "").status())
                    .as("im: URI of another user").isEqualTo(403);
            assertThat(mikePhone.silentFor(300)).as("nothing forged reached mike").isTrue();

            for (String own : List.of("<sip:lena@localhost>", "\"Lena\" <im:lena.l@localhost>", "<tel:+4930123456>",
                    "<sip:anonymous@anonymous.invalid>")) {
                SipTestClient.Reply at = mikePhone.answerNext(200);
                byte[] body = cpim(own, "sip:mike@localhost", "text/plain", "from " + own);
                assertThat(lena.send("sip:mike@localhost", "message/cpim", body, "").status()).as(own).isEqualTo(200);
                assertThat(at.request().body()).as("the body travels byte-exact").isEqualTo(body);
            }
            unregister(mikePhone, "mike");
        }
    }

    @Test
    @DisplayName("RFC 3862 §3, §5.1: a malformed message/cpim body or From is answered 400 with the reason")
    void malformedCpimIs400() throws IOException {
        try (SipTestClient lenaPhone = udp()) {
            Pager lena = new Pager(lenaPhone, "lena", "lena-secret");
            List<byte[]> bad = List.of("no blank line at all".getBytes(StandardCharsets.UTF_8),
                    "From <sip:lena@localhost>\r\n\r\nContent-Type: text/plain\r\n\r\nx".getBytes(StandardCharsets.UTF_8),
                    cpim("sip:lena@localhost", "sip:mike@localhost", "text/plain", "no angle brackets"),
                    cpim("<sip:lena@localhost> trailing", "sip:mike@localhost", "text/plain", "x"),
                    cpim("<>", "sip:mike@localhost", "text/plain", "x"),
                    cpim("<sip:lena@localhost>\r\nFrom: <sip:alice@localhost>", "sip:mike@localhost", "text/plain", "two"));
            for (byte[] body : bad) {
                SipResponse r = lena.send("sip:mike@localhost", "message/cpim", body, "");
                assertThat(r.status()).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(400);
                assertThat(r.reason()).containsIgnoringCase("CPIM");
            }
        }
    }

    @Test
    @DisplayName("RFC 3842, RFC 5438, UC 5.13, issue 14 §4: stored IMDN reports are delivered but not counted as messages waiting")
    void storedReportsAreNotMessagesWaiting() throws IOException {
        String imdn = "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>m-%d</message-id>"
                + "<display-notification><status><displayed/></status></display-notification></imdn>";
        try (SipTestClient mike = udp()) {
            Pager pager = new Pager(mike, "mike", "mike-secret");
            // two reports and one text: the test server's offline store holds three
            for (int i = 0; i < 2; i++) {
                assertThat(pager.send("sip:nina@localhost", "message/cpim", cpim("<sip:mike@localhost>",
                        "sip:nina@localhost", "message/imdn+xml", imdn.formatted(i)), "").status()).isEqualTo(202);
            }
            assertThat(pager.send("sip:nina@localhost", "just text").status()).isEqualTo(202);
        }
        try (SipTestClient nina = udp()) {
            register(nina, "nina");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Optional<SipMessage> m = nina.poll(10_000);
                assertThat(m).as("request %d after %s", i + 1, got).isPresent();
                got.add(text((SipRequest) m.get()));
                nina.send(((SipRequest) m.get()).createResponse(200, "n"));
            }
            assertThat(got.get(0)).isEqualTo("You have 1 message waiting.");
            assertThat(got.subList(1, 3)).allSatisfy(b -> assertThat(b).contains("<displayed/>"));
            assertThat(got.get(3)).isEqualTo("just text");
            assertThat(nina.silentFor(300)).isTrue();
            unregister(nina, "nina");
        }
    }
}
