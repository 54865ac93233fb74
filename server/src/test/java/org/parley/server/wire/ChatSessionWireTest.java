package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.msrp.MsrpTransport;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.testkit.msrp.PythonMsrpPeer;

/**
 * One-to-one chat sessions through the proxy and the MSRP relay (MU-1, MU-4, MU-5, MU-6, PP2-40,
 * PP2-42, PP2-43, PP2-44, UC 5.2; RFC 4975, RFC 4976, RFC 4028, RFC 5547): hand-written SIP
 * devices on trusted TCP connections, the Python MSRP peer for the media, one server on a
 * manual clock (session timers and limits are driven by the test).
 */
@DisplayName("MU-1, UC 5.2: one-to-one chat sessions over MSRP through the proxy and the relay")
class ChatSessionWireTest {
    static TestServer server;
    static ManualScheduler clock;
    static Path certificate;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path dataDir) {
        clock = new ManualScheduler();
        certificate = dataDir.resolve("tls/parley-cert.pem");
        server = TestServer.start(dataDir, clock, Map.of("msrp.tcp.port", "0", "msrp.endpoint.tcp.port", "0",
                "chat.session-expires-seconds", "120", "chat.min-session-expires-seconds", "90",
                "chat.max-file-bytes", "50000", "chat.max-message-bytes", "100000", "chat.max-files", "1",
                "chat.max-duration-seconds", "3000", "chat.store-messages", "all"));
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "fred", "gina")) {
            server.addUser(user, user + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    /** A user's device: a registered, trusted SIP connection and an MSRP connection AUTHed at the relay. */
    private record Device(String user, SipTestClient sip, PythonMsrpPeer msrp, String relay) {
        String path() {
            return relay + " " + msrp.uri();
        }
    }

    private Device device(String user) throws IOException {
        SipTestClient sip = opened(TrustedSender.open(server, user, user + "-secret"));
        PythonMsrpPeer msrp = opened(PythonMsrpPeer.start());
        int port = server.server().msrpPort(MsrpTransport.TCP);
        msrp.connect("tcp", port, null);
        PythonMsrpPeer.Reply auth = msrp.auth("msrp://127.0.0.1:" + port + ";tcp", user, user + "-secret");
        assertThat(auth.status()).isEqualTo(200);
        return new Device(user, sip, msrp, auth.get("use-path"));
    }

    private static String sdp(String path, String extra) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message 9 TCP/MSRP *\r\n"
                + "a=accept-types:text/plain image/png\r\n" + extra + "a=path:" + path + "\r\n";
    }

    /** An INVITE from {@code from} to bob with an SDP offer, on the caller's trusted connection. */
    private static String invite(Device from, String callId, String extraHeaders, String body) {
        return invite(from, "bob", callId, extraHeaders, body);
    }

    private static String invite(Device from, String to, String callId, String extraHeaders, String body) {
        return "INVITE sip:" + to + "@localhost SIP/2.0\r\nVia: " + from.sip().via() + "\r\nFrom: <sip:" + from.user()
                + "@localhost>;tag=c" + callId.substring(0, 6) + "\r\nTo: <sip:" + to + "@localhost>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:" + from.user() + "@127.0.0.1:"
                + from.sip().localPort() + ";transport=tcp>\r\nSupported: timer\r\n" + extraHeaders
                + "Content-Type: application/sdp\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body;
    }

    /** The device's final answer to an INVITE: 2xx with Contact, Record-Route (RFC 3261 §12.1.1) and the SDP answer. */
    private static void answer(Device d, SipRequest invite, int status, String body, String extraHeaders) throws IOException {
        SipResponse r = invite.createResponse(status, "d" + d.sip().localPort());
        if (status == 200) {
            for (String rr : invite.headers().values("Record-Route")) {
                r = r.withHeader("Record-Route", rr);
            }
            r = r.withHeader("Contact", "<sip:" + d.user() + "-sender@127.0.0.1:" + d.sip().localPort() + ";transport=tcp>");
            for (String line : extraHeaders.split("\r\n")) {
                if (!line.isEmpty()) {
                    r = r.withHeader(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
                }
            }
            r = r.withBody("application/sdp", body.getBytes(StandardCharsets.UTF_8));
        }
        d.sip().send(r);
    }

    /** The established session as the caller sees it. */
    private record Session(String callId, SipResponse ok, Device caller, Device callee) {
        String route() {
            return ok.headers().values("Record-Route").getFirst();
        }

        String contact() {
            String c = ok.headers().first("Contact").orElseThrow();
            return c.substring(1, c.indexOf('>'));
        }

        String inDialog(String method, int cseq) {
            return method + " " + contact() + " SIP/2.0\r\nVia: " + caller.sip().via() + "\r\nRoute: " + route()
                    + "\r\nFrom: " + ok.headers().first("From").orElseThrow() + "\r\nTo: "
                    + ok.headers().first("To").orElseThrow() + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " "
                    + method + "\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        }

        /**
         * A request of the callee within the dialog (RFC 3261 §12.2.1.1): to the caller's Contact
         * along the route the callee learnt from the INVITE, From and To swapped.
         */
        String fromCallee(String method, int cseq, String extraHeaders, String sdp) {
            String body = sdp == null ? "" : sdp;
            return method + " sip:" + caller.user() + "-sender@127.0.0.1:" + caller.sip().localPort() + ";transport=tcp"
                    + " SIP/2.0\r\nVia: " + callee.sip().via() + "\r\nRoute: " + route() + "\r\nFrom: "
                    + ok.headers().first("To").orElseThrow() + "\r\nTo: " + ok.headers().first("From").orElseThrow()
                    + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " " + method + "\r\nMax-Forwards: 70\r\n"
                    + "Contact: <sip:" + callee.user() + "-sender@127.0.0.1:" + callee.sip().localPort()
                    + ";transport=tcp>\r\n" + extraHeaders + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        }

        /** A request of the caller within the dialog with extra header fields and, when given, an SDP body. */
        String fromCaller(String method, int cseq, String extraHeaders, String sdp) {
            String body = sdp == null ? "" : sdp;
            return inDialog(method, cseq).replace("Content-Length: 0\r\n\r\n", extraHeaders
                    + (sdp == null ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        }

        /** A message from the caller to the callee over MSRP, through the relay, received whole. */
        PythonMsrpPeer.Reply chat(String text) {
            caller.msrp().send(caller.relay() + " " + callee.relay() + " " + callee.msrp().uri(), "text/plain",
                    text.getBytes(StandardCharsets.UTF_8), 8, "no");
            return callee.msrp().receive();
        }
    }

    /** alice calls bob's device; it answers 200 (with Session-Expires when given); ACK goes back along the route. */
    private Session establish(Device alice, Device bob, String answerHeaders) throws IOException {
        return establish(alice, bob, true, answerHeaders);
    }

    /** @param uacTimer whether the caller says it supports session timers (RFC 4028: Supported: timer) */
    private Session establish(Device alice, Device bob, boolean uacTimer, String answerHeaders) throws IOException {
        String callId = UUID.randomUUID().toString();
        String invite = invite(alice, bob.user(), callId, "", sdp(alice.path(), ""))
                .replace("Contact: <sip:" + alice.user() + "@", "Contact: <sip:" + alice.user() + "-sender@");
        alice.sip().send(uacTimer ? invite : invite.replace("Supported: timer\r\n", ""));
        SipRequest got = bob.sip().receiveRequest();
        assertThat(got.method()).isEqualTo("INVITE");
        answer(bob, got, 200, sdp(bob.path(), ""), answerHeaders);
        SipResponse ok = alice.sip().receiveResponse();
        assertThat(ok.status()).isEqualTo(200);
        Session s = new Session(callId, ok, alice, bob);
        alice.sip().send(s.inDialog("ACK", 1));
        assertThat(bob.sip().receiveRequest().method()).isEqualTo("ACK");
        return s;
    }

    /** The usage record the session left (written in the background: waited for). */
    private static String usageOf(String callId) throws Exception {
        for (int i = 0; i < 100; i++) {
            String page = server.admin("/admin/v1/usage?event=session&sender=sip:alice@localhost");
            int at = page.indexOf("\"messageRef\":\"" + callId + "\"");
            if (at >= 0) {
                return page.substring(page.lastIndexOf('{', at), page.indexOf('}', at) + 1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no usage record of session " + callId);
    }

    private static SipRequest byeTo(Device d) throws IOException {
        SipRequest bye = d.sip().receiveRequest();
        assertThat(bye.method()).isEqualTo("BYE");
        d.sip().send(bye.createResponse(200, "x"));
        return bye;
    }

    @Test
    @DisplayName("MU-1, MU-4, UC 5.2, RFC 3261 §16.7: a chat INVITE forks to every device of the callee, record-routed, with a session timer added (RFC 4028 §8.1); one answers, the other is cancelled; messages flow through the relay both ways; the caller's BYE ends it and the session leaves a usage record (PP2-6)")
    void chatForkedAnsweredAndEnded() throws Exception {
        Device alice = device("alice");
        Device bob1 = device("bob");
        Device bob2 = device("bob");
        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, callId, "", sdp(alice.path(), "")));
        SipRequest i1 = bob1.sip().receiveRequest();
        SipRequest i2 = bob2.sip().receiveRequest();
        for (SipRequest i : List.of(i1, i2)) {
            assertThat(i.method()).isEqualTo("INVITE");
            assertThat(i.headers().values("Record-Route")).hasSize(1);
            assertThat(i.header("Session-Expires")).hasValue("120");
            assertThat(i.header("Min-SE")).hasValue("90");
            assertThat(new String(i.body(), StandardCharsets.UTF_8)).contains("a=path:" + alice.path());
        }
        bob1.sip().send(i1.createResponse(180, "d1"));
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(180);
        answer(bob2, i2, 200, sdp(bob2.path(), ""), "");
        SipResponse ok = alice.sip().receiveResponse();
        assertThat(ok.status()).isEqualTo(200);
        SipRequest cancel = bob1.sip().receiveRequest();
        assertThat(cancel.method()).isEqualTo("CANCEL");
        bob1.sip().send(cancel.createResponse(200, "x"));
        answer(bob1, i1, 487, "", "");
        assertThat(bob1.sip().receiveRequest().method()).isEqualTo("ACK");
        Session s = new Session(callId, ok, alice, bob2);
        alice.sip().send(s.inDialog("ACK", 1));
        assertThat(bob2.sip().receiveRequest().method()).isEqualTo("ACK");

        assertThat(s.chat("Hello Bob, this is a chat session").text()).isEqualTo("Hello Bob, this is a chat session");
        bob2.msrp().send(bob2.relay() + " " + alice.relay() + " " + alice.msrp().uri(), "text/plain",
                "Hi Alice".getBytes(StandardCharsets.UTF_8), 100, "no");
        assertThat(alice.msrp().receive().text()).isEqualTo("Hi Alice");

        alice.sip().send(s.inDialog("BYE", 2));
        byeTo(bob2);
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(200);
        String usage = usageOf(callId);
        assertThat(usage).contains("\"event\":\"SESSION\"", "\"recipient\":\"sip:bob@localhost\"",
                "\"detail\":\"messages=2 files=0 ended=bye\"", "\"size\":41");
    }

    @Test
    @DisplayName("MU-5, MU-6, RFC 4975 §5.4: several sessions at once; when the callee's device vanishes (its relay connection closes) Parley ends that session with a BYE to each side (Reason 410), the other session goes on")
    void vanishedDeviceEndsItsSessionOnly() throws Exception {
        Device alice = device("alice");
        Device bobGone = device("bob");
        Session first = establish(alice, bobGone, "");
        Device bobStays = device("bob");
        // the second INVITE forks to both of bob's devices; the one about to vanish declines it
        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, callId, "", sdp(alice.path(), "")));
        answer(bobGone, bobGone.sip().receiveRequest(), 486, "", "");
        SipRequest i = bobStays.sip().receiveRequest();
        answer(bobStays, i, 200, sdp(bobStays.path(), ""), "");
        SipResponse ok = alice.sip().receiveResponse();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(bobGone.sip().receiveRequest().method()).as("ACK of the 486").isEqualTo("ACK");
        Session second = new Session(callId, ok, alice, bobStays);
        alice.sip().send(second.inDialog("ACK", 1));
        assertThat(bobStays.sip().receiveRequest().method()).isEqualTo("ACK");
        assertThat(first.chat("one").text()).isEqualTo("one");
        assertThat(second.chat("two").text()).isEqualTo("two");

        bobGone.msrp().close();
        SipRequest toAlice = byeTo(alice);
        assertThat(toAlice.callId()).isEqualTo(first.callId());
        assertThat(toAlice.header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("cause=410"));
        assertThat(toAlice.from().tag()).isEqualTo(first.ok().to().tag());
        SipRequest toBob = byeTo(bobGone);
        assertThat(toBob.to().tag()).isEqualTo(first.ok().to().tag());
        assertThat(usageOf(first.callId())).contains("ended=vanished");

        assertThat(second.chat("still here").text()).isEqualTo("still here");
        alice.sip().send(second.inDialog("BYE", 2));
        byeTo(bobStays);
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(200);
    }

    @Test
    @DisplayName("RFC 4028 §8.1: a Session-Expires below Parley's Min-SE gets 422 with Min-SE; one above its maximum is lowered")
    void sessionTimerBounds() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "Session-Expires: 30\r\n", sdp(alice.path(), "")));
        SipResponse tooSmall = alice.sip().receiveResponse();
        assertThat(tooSmall.status()).isEqualTo(422);
        assertThat(tooSmall.header("Min-SE")).hasValue("90");
        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, callId, "Session-Expires: 9000;refresher=uac\r\n", sdp(alice.path(), "")));
        SipRequest got = bob.sip().receiveRequest();
        assertThat(got.header("Session-Expires")).hasValue("120;refresher=uac");
        answer(bob, got, 603, "", "");
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(603);
    }

    @Test
    @DisplayName("RFC 4028 §10: a session whose timer lapses without a refresh is ended by Parley with BYE to both sides (Reason 408); a refresh (re-INVITE) keeps it")
    void sessionTimerLapse() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Session s = establish(alice, bob, "Session-Expires: 120;refresher=uac\r\n");
        clock.advance(Duration.ofSeconds(100));
        alice.sip().send(s.inDialog("INVITE", 2).replace("Max-Forwards: 70\r\n",
                "Max-Forwards: 70\r\nSession-Expires: 120;refresher=uac\r\n"));
        SipRequest refresh = bob.sip().receiveRequest();
        assertThat(refresh.method()).isEqualTo("INVITE");
        SipResponse ok = refresh.createResponse(200, "x").withHeader("Session-Expires", "120;refresher=uac");
        bob.sip().send(ok);
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(100));
        assertThat(alice.sip().silentFor(300)).as("refreshed: no BYE yet").isTrue();
        clock.advance(Duration.ofSeconds(21));
        SipRequest toAlice = byeTo(alice);
        assertThat(toAlice.header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("cause=408"));
        byeTo(bob);
        assertThat(usageOf(s.callId())).contains("ended=session-timer");
    }

    @Test
    @DisplayName("PP2-6, PP-49: operator limits per session: a message over chat.max-message-bytes is refused by the relay with 413; a second file in a session with 403; a session past chat.max-duration-seconds ends with BYE and a Reason naming the limit")
    void perSessionLimits() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Session s = establish(alice, bob, false, ""); // no session timer: only the operator's maximum ends it
        String toPath = alice.relay() + " " + bob.relay() + " " + bob.msrp().uri();
        PythonMsrpPeer.Reply big = alice.msrp().send(toPath, "text/plain", new byte[150_000], 50_000, "no");
        PythonMsrpPeer.Reply refused = alice.msrp().next();
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.get("tid")).isEqualTo(big.tids().getFirst());
        drain(alice.msrp());
        alice.msrp().send(toPath, "image/png", new byte[2000], 1000, "no");
        assertThat(bob.msrp().receive().body()).hasSize(2000);
        drain(alice.msrp());
        alice.msrp().send(toPath, "image/png", new byte[10], 1000, "no");
        PythonMsrpPeer.Reply second = alice.msrp().next();
        assertThat(second.status()).isEqualTo(403);
        assertThat(second.get("comment")).contains("1 files");

        clock.advance(Duration.ofSeconds(3001));
        SipRequest toAlice = byeTo(alice);
        assertThat(toAlice.header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("cause=403", "3000 s"));
        byeTo(bob);
        assertThat(usageOf(s.callId())).contains("files=1", "ended=max-duration");
    }

    /** Takes what the relay already answered (hop-by-hop 200s), so the next read is what the test waits for. */
    private static void drain(PythonMsrpPeer p) {
        while (p.next(Duration.ofMillis(300)).kind().equals("response")) {
            // the relay's 200s for chunks the receiver took
        }
    }

    @Test
    @DisplayName("RFC 5547 §8, §10: a file offer (file-selector with hash, sendonly) is accepted with recvonly and the file passes the relay with progress REPORTs (RFC 4975 §7.1.2); a decline is 603; an offer over chat.max-file-bytes is refused by Parley with 488 and a Warning naming the limit; a resumed transfer (file-range) passes")
    void fileTransfer() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        byte[] file = new byte[30_000];
        new java.util.Random(7).nextBytes(file);
        String selector = "a=sendonly\r\na=file-selector:name:\"photo.png\" type:image/png size:30000 hash:sha-1:"
                + java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                java.security.MessageDigest.getInstance("SHA-1").digest(file)) + "\r\na=file-transfer-id:ft1\r\n";
        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, callId, "", sdp(alice.path(), selector)));
        SipRequest offer = bob.sip().receiveRequest();
        assertThat(new String(offer.body(), StandardCharsets.UTF_8)).contains("a=file-selector:name:\"photo.png\"");
        answer(bob, offer, 200, sdp(bob.path(), "a=recvonly\r\na=file-selector:name:\"photo.png\" type:image/png "
                + "size:30000\r\na=file-transfer-id:ft1\r\n"), "");
        SipResponse ok = alice.sip().receiveResponse();
        assertThat(ok.status()).isEqualTo(200);
        Session s = new Session(callId, ok, alice, bob);
        alice.sip().send(s.inDialog("ACK", 1));
        bob.sip().receiveRequest();
        PythonMsrpPeer.Reply sent = alice.msrp().send(alice.relay() + " " + bob.relay() + " " + bob.msrp().uri(),
                "image/png", file, 10_000, "yes");
        assertThat(bob.msrp().receiveWithProgress().body()).isEqualTo(file);
        List<String> progress = new ArrayList<>();
        while (progress.size() < 3) {
            PythonMsrpPeer.Reply report = alice.msrp().next();
            if (report.isRequest()) {
                assertThat(report.method()).isEqualTo("REPORT");
                assertThat(report.header("Status")).hasValue("000 200 OK");
                assertThat(report.header("Message-ID")).hasValue(sent.get("message-id"));
                progress.add(report.header("Byte-Range").orElseThrow());
            }
        }
        assertThat(progress).as("progress, then the whole file").containsExactly("1-10000/30000", "1-20000/30000",
                "1-30000/30000");
        alice.sip().send(s.inDialog("BYE", 2));
        byeTo(bob);
        alice.sip().receiveResponse();
        assertThat(usageOf(callId)).contains("\"contentType\":\"image/png\"", "files=1", "\"size\":30000");

        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", sdp(alice.path(), selector)));
        SipRequest declined = bob.sip().receiveRequest();
        answer(bob, declined, 603, "", "");
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(603);
        assertThat(bob.sip().receiveRequest().method()).isEqualTo("ACK");

        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", sdp(alice.path(),
                selector.replace("size:30000", "size:60000"))));
        SipResponse tooBig = alice.sip().receiveResponse();
        assertThat(tooBig.status()).isEqualTo(488);
        assertThat(tooBig.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("limit of 50000 bytes"));
        assertThat(bob.sip().silentFor(300)).as("refused before it reached the callee").isTrue();

        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", sdp(alice.path(),
                selector + "a=file-range:10001-30000\r\n")));
        SipRequest resumed = bob.sip().receiveRequest();
        assertThat(new String(resumed.body(), StandardCharsets.UTF_8)).contains("a=file-range:10001-30000");
        answer(bob, resumed, 603, "", "");
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(603);
    }

    @Test
    @DisplayName("RFC 5547 §6, PP2-6: a resumed transfer offers the rest of the file (a=file-range, the selector's size the whole file's): accepted, only the range crosses the relay (one MSRP message, Byte-Range from 1) and the usage record counts the bytes sent and names the range; a file-range that is malformed or outside the file is 488 with a Warning saying why; a resumed part of a file over chat.max-file-bytes is 488 although the part is small")
    void resumedFileTransfer() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        byte[] file = new byte[30_000];
        new java.util.Random(11).nextBytes(file);
        String selector = "a=sendonly\r\na=file-selector:name:\"photo.png\" type:image/png size:30000 hash:sha-1:"
                + java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                java.security.MessageDigest.getInstance("SHA-1").digest(file)) + "\r\na=file-transfer-id:ft3\r\n";
        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, callId, "", sdp(alice.path(), selector + "a=file-range:12001-*\r\n")));
        SipRequest offer = bob.sip().receiveRequest();
        assertThat(new String(offer.body(), StandardCharsets.UTF_8)).contains("a=file-range:12001-*", "size:30000");
        answer(bob, offer, 200, sdp(bob.path(), "a=recvonly\r\na=file-selector:name:\"photo.png\" type:image/png "
                + "size:30000\r\na=file-transfer-id:ft3\r\na=file-range:12001-*\r\n"), "");
        SipResponse ok = alice.sip().receiveResponse();
        assertThat(ok.status()).isEqualTo(200);
        Session s = new Session(callId, ok, alice, bob);
        alice.sip().send(s.inDialog("ACK", 1));
        bob.sip().receiveRequest();
        byte[] rest = java.util.Arrays.copyOfRange(file, 12_000, 30_000);
        alice.msrp().send(alice.relay() + " " + bob.relay() + " " + bob.msrp().uri(), "image/png", rest, 10_000, "no");
        byte[] got = bob.msrp().receive().body();
        assertThat(got).as("the rest of the file, nothing before it").isEqualTo(rest);
        drain(alice.msrp());
        alice.sip().send(s.inDialog("BYE", 2));
        byeTo(bob);
        alice.sip().receiveResponse();
        assertThat(usageOf(callId)).contains("\"size\":18000", "files=1", "file-range=12001-*");

        for (String range : List.of("10001-30001", "30001-*", "1-5-6", "0-10", "9-5")) {
            alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", sdp(alice.path(),
                    selector + "a=file-range:" + range + "\r\n")));
            SipResponse bad = alice.sip().receiveResponse();
            assertThat(bad.status()).as(range).isEqualTo(488);
            assertThat(bad.header("Warning")).as(range).hasValueSatisfying(w -> assertThat(w).contains("file-range"));
        }
        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", sdp(alice.path(),
                selector.replace("size:30000", "size:60000") + "a=file-range:59001-60000\r\n")));
        SipResponse overLimit = alice.sip().receiveResponse();
        assertThat(overLimit.status()).isEqualTo(488);
        assertThat(overLimit.header("Warning")).hasValueSatisfying(w -> assertThat(w)
                .contains("file of 60000 bytes is over the limit of 50000 bytes"));
        assertThat(bob.sip().silentFor(300)).as("refused before they reached the callee").isTrue();
    }

    @Test
    @DisplayName("RFC 3261 §14, RFC 5547 §8, PP2-6: a re-INVITE adding a file-transfer stream over chat.max-file-bytes is refused by Parley with 488 and the same Warning as an initial INVITE, never reaching the other side; a malformed file-range added by re-INVITE is 488 too; the session goes on")
    void reInviteAddingAFileOverTheLimit() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Session s = establish(alice, bob, "Session-Expires: 120;refresher=uac\r\n");
        String file = "m=message 9 TCP/MSRP *\r\na=accept-types:image/png\r\na=sendonly\r\n"
                + "a=file-selector:name:\"big.png\" type:image/png size:60000\r\na=file-transfer-id:ft4\r\na=path:"
                + alice.path() + "\r\n";
        alice.sip().send(s.fromCaller("INVITE", 2, "", sdp(alice.path(), "") + file));
        SipResponse tooBig = alice.sip().receiveResponse();
        assertThat(tooBig.status()).isEqualTo(488);
        assertThat(tooBig.header("Warning")).hasValueSatisfying(w -> assertThat(w)
                .contains("file of 60000 bytes is over the limit of 50000 bytes"));
        alice.sip().send(s.fromCaller("INVITE", 3, "", sdp(alice.path(), "")
                + file.replace("size:60000", "size:6000") + "a=file-range:7000-*\r\n"));
        SipResponse badRange = alice.sip().receiveResponse();
        assertThat(badRange.status()).isEqualTo(488);
        assertThat(badRange.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("file-range"));
        // the callee's side sends the same: the check does not depend on who offers
        bob.sip().send(s.fromCallee("INVITE", 1, "", sdp(bob.path(), "") + file.replace(alice.path(), bob.path())));
        assertThat(bob.sip().receiveResponse().status()).isEqualTo(488);
        assertThat(alice.sip().silentFor(300)).as("nothing reached the other side").isTrue();

        alice.sip().send(s.fromCaller("INVITE", 4, "", sdp(alice.path(), "") + file.replace("size:60000", "size:6000")));
        SipRequest fits = bob.sip().receiveRequest();
        assertThat(fits.method()).as("a file under the limit is relayed").isEqualTo("INVITE");
        ok(bob, fits, "", sdp(bob.path(), ""));
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(200);
        assertThat(s.chat("still in session").text()).isEqualTo("still in session");
        alice.sip().send(s.inDialog("BYE", 5));
        byeTo(bob);
        alice.sip().receiveResponse();
    }

    @Test
    @DisplayName("MU-3, RFC 5547 §6: Parley as the receiver of a deferred session keeps whole messages only: a resumed part of a file (a=file-range not the whole file) to a user with no device is refused with 488 and a Warning saying why; the whole file offered with a=file-range:1-* is deferred")
    void deferredRefusesAPartOfAFile() throws Exception {
        Device alice = device("alice");
        String selector = "a=sendonly\r\na=file-selector:name:\"doc.pdf\" type:application/pdf size:3000\r\n"
                + "a=file-transfer-id:ft5\r\n";
        alice.sip().send(invite(alice, "gina", UUID.randomUUID().toString(), "",
                sdp(alice.path(), selector + "a=file-range:1001-3000\r\n")));
        SipResponse part = alice.sip().receiveResponse();
        assertThat(part.status()).isEqualTo(488);
        assertThat(part.header("Warning")).hasValueSatisfying(w -> assertThat(w)
                .contains("keeps only whole files", "a=file-range:1001-3000"));
        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, "gina", callId, "", sdp(alice.path(), selector + "a=file-range:1-*\r\n")));
        SipResponse whole = alice.sip().receiveResponse();
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("deferred delivery"));
    }

    @Test
    @DisplayName("RFC 4975 §8, RFC 3261 §21.4.1: an INVITE whose chat offer cannot be read is refused (400 malformed, 488 no usable MSRP stream) with a Warning saying why")
    void malformedOffers() throws Exception {
        Device alice = device("alice");
        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", "v=0\r\nm=message 9 TCP/MSRP *\r\n"));
        SipResponse bad = alice.sip().receiveResponse();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Warning")).isPresent();
        alice.sip().send(invite(alice, UUID.randomUUID().toString(), "", sdp(alice.path(), "")
                .replace("a=accept-types:text/plain image/png\r\n", "")));
        SipResponse noTypes = alice.sip().receiveResponse();
        assertThat(noTypes.status()).isEqualTo(488);
        assertThat(noTypes.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("accept-types"));
    }

    private static java.net.http.HttpResponse<String> api(String user, String method, String path, String body)
            throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user + "-secret")
                .getBytes(StandardCharsets.UTF_8));
        return server.http(method, "/api/v1" + path, body, basic);
    }

    @Test
    @DisplayName("PP-42, PP-38: a participant who asked for their sessions to be kept finds the messages sent and received in the network repository, lists, reads and deletes them over /api/v1; the other party has what it received, kept by the operator's policy (chat.store-messages=all), and nothing it sent")
    void keptSessionMessages() throws Exception {
        assertThat(api("carol", "PUT", "/me/chat/storage", "{\"keepSessions\":true}").body())
                .contains("\"keepSessions\":true", "\"operatorKeepsAll\":true");
        Device carol = device("carol");
        Device dave = device("dave");
        Session s = establish(carol, dave, "");
        assertThat(s.chat("keep this, Dave").text()).isEqualTo("keep this, Dave");
        dave.msrp().send(dave.relay() + " " + carol.relay() + " " + carol.msrp().uri(), "image/png",
                new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 100, "no");
        assertThat(carol.msrp().receive().body()).hasSize(4);
        carol.sip().send(s.inDialog("BYE", 2));
        byeTo(dave);
        carol.sip().receiveResponse();

        String list = "";
        for (int i = 0; i < 100 && !list.contains("\"total\":2"); i++) {
            Thread.sleep(50);
            list = api("carol", "GET", "/me/chat/messages", null).body();
        }
        assertThat(list).contains("\"total\":2", "\"callId\":\"" + s.callId() + "\"",
                "\"sender\":\"sip:carol@localhost\"", "\"contentType\":\"text/plain\"", "\"size\":15",
                "\"contentType\":\"image/png\"");
        String daves = api("dave", "GET", "/me/chat/messages", null).body();
        assertThat(daves).contains("\"total\":1", "\"recipient\":\"sip:dave@localhost\"").doesNotContain("image/png");
        String text = firstId(list);
        assertThat(api("carol", "GET", "/me/chat/messages/" + text, null).body())
                .contains("\"bodyEncoding\":\"utf-8\"", "\"body\":\"keep this, Dave\"");
        assertThat(api("dave", "GET", "/me/chat/messages/" + text, null).statusCode()).as("not his copy").isEqualTo(404);
        assertThat(api("carol", "DELETE", "/me/chat/messages/" + text, null).statusCode()).isEqualTo(204);
        var gone = api("carol", "GET", "/me/chat/messages/" + text, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(api("carol", "DELETE", "/me/chat/messages/" + text, null).statusCode()).isEqualTo(404);
        assertThat(api("carol", "GET", "/me/chat/messages/not-a-uuid", null).statusCode()).isEqualTo(404);
        String rest = api("carol", "GET", "/me/chat/messages", null).body();
        assertThat(rest).contains("\"total\":1");
        assertThat(api("carol", "GET", "/me/chat/messages/" + firstId(rest), null).body())
                .contains("\"bodyEncoding\":\"base64\"", "\"body\":\"iVBORw==\"");
        assertThat(api("dave", "GET", "/me/chat/messages/" + firstId(daves), null).body())
                .contains("\"body\":\"keep this, Dave\"");
        assertThat(api("carol", "PUT", "/me/chat/storage", "{\"keepSessions\":\"yes\"}").statusCode()).isEqualTo(400);
        assertThat(api("carol", "PUT", "/me/chat/storage", "{}").statusCode()).isEqualTo(400);
        assertThat(api("carol", "GET", "/me/chat/messages?limit=0", null).statusCode()).isEqualTo(400);
        assertThat(api("carol", "PUT", "/me/chat/storage", "{\"keepSessions\":false}").body())
                .contains("\"keepSessions\":false");
    }

    private static String firstId(String page) {
        int at = page.indexOf("\"id\":\"") + 6;
        return page.substring(at, page.indexOf('"', at));
    }

    @Test
    @DisplayName("MU-1, GS-1: a chat INVITE from a sender who has not authenticated (UDP is never trusted) is challenged with 407 before anything reaches the callee")
    void unauthenticatedInviteChallenged() throws Exception {
        Device bob = device("bob");
        try (SipTestClient stranger = SipTestClient.udp(server.sipPort(org.parley.sip.transport.Transport.UDP))) {
            Device posing = new Device("alice", stranger, null, null);
            stranger.send(invite(posing, UUID.randomUUID().toString(), "", sdp("msrp://127.0.0.1:9/x;tcp", "")));
            SipResponse challenge = stranger.receiveResponse();
            assertThat(challenge.status()).isEqualTo(407);
            assertThat(challenge.header("Proxy-Authenticate")).isPresent();
            assertThat(bob.sip().silentFor(300)).isTrue();
        }
    }

    /** A device's second MSRP connection to the relay (it moved: another network, a reconnect): its new relay URI. */
    private Device reconnected(Device d) throws IOException {
        PythonMsrpPeer msrp = opened(PythonMsrpPeer.start());
        int port = server.server().msrpPort(MsrpTransport.TCP);
        msrp.connect("tcp", port, null);
        PythonMsrpPeer.Reply auth = msrp.auth("msrp://127.0.0.1:" + port + ";tcp", d.user(), d.user() + "-secret");
        assertThat(auth.status()).isEqualTo(200);
        return new Device(d.user(), d.sip(), msrp, auth.get("use-path"));
    }

    /** A 200 to a request within the dialog, with the given header fields and SDP (none when null). */
    private static void ok(Device d, SipRequest request, String headers, String sdp) throws IOException {
        SipResponse r = request.createResponse(200, "OK");
        for (String line : headers.split("\r\n")) {
            if (!line.isEmpty()) {
                r = r.withHeader(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
            }
        }
        if (sdp != null) {
            r = r.withHeader("Contact", "<sip:" + d.user() + "-sender@127.0.0.1:" + d.sip().localPort()
                    + ";transport=tcp>").withBody("application/sdp", sdp.getBytes(StandardCharsets.UTF_8));
        }
        d.sip().send(r);
    }

    private static long usageRecords(String callId) throws Exception {
        String page = server.admin("/admin/v1/usage?event=session&sender=sip:alice@localhost");
        return page.split(java.util.regex.Pattern.quote("\"messageRef\":\"" + callId + "\""), -1).length - 1L;
    }

    @Test
    @DisplayName("RFC 4975 §5.4, RFC 3261 §14, RFC 4028 §10: a re-INVITE from the callee moving to another relay connection is followed (its old connection closing ends nothing, the new one is watched, its traffic counted); a re-INVITE refused with 488 leaves the old paths; a re-INVITE adding a file-transfer stream (RFC 5547) brings its path under the session's limits (PP2-6); an UPDATE refresh keeps the session alive; one usage record in the end")
    void reInviteFollowsThePaths() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Session s = establish(alice, bob, "Session-Expires: 120;refresher=uac\r\n");
        assertThat(s.chat("before the move").text()).isEqualTo("before the move");

        // bob moves to a new relay connection and says so in a re-INVITE (callee to caller)
        Device bobMoved = reconnected(bob);
        bob.sip().send(s.fromCallee("INVITE", 1, "Session-Expires: 120;refresher=uas\r\n", sdp(bobMoved.path(), "")));
        SipRequest reinvite = alice.sip().receiveRequest();
        assertThat(reinvite.method()).isEqualTo("INVITE");
        assertThat(new String(reinvite.body(), StandardCharsets.UTF_8)).contains("a=path:" + bobMoved.path());
        ok(alice, reinvite, "Session-Expires: 120;refresher=uas\r\n", sdp(alice.path(), ""));
        assertThat(bob.sip().receiveResponse().status()).isEqualTo(200);
        bob.msrp().close();
        assertThat(alice.sip().silentFor(500)).as("the old connection is no longer the session's").isTrue();
        Session moved = new Session(s.callId(), s.ok(), alice, bobMoved);
        assertThat(moved.chat("after the move").text()).isEqualTo("after the move");

        // alice offers a new path of hers; bob refuses the change: the session stays on the old paths
        Device aliceElsewhere = reconnected(alice);
        alice.sip().send(s.fromCaller("INVITE", 2, "", sdp(aliceElsewhere.path(), "")));
        SipRequest refused = bobMoved.sip().receiveRequest();
        bobMoved.sip().send(refused.createResponse(488, "Not Acceptable Here"));
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(488);
        assertThat(bobMoved.sip().receiveRequest().method()).as("ACK of the 488").isEqualTo("ACK");
        aliceElsewhere.msrp().close();
        assertThat(alice.sip().silentFor(500)).as("the refused path was never the session's").isTrue();

        // alice adds a file transfer (RFC 5547): the new stream's path counts against chat.max-files=1
        String fileUri = "msrp://127.0.0.1:9/ft" + UUID.randomUUID().toString().substring(0, 8) + ";tcp";
        String withFile = sdp(alice.path(), "") + "m=message 9 TCP/MSRP *\r\na=accept-types:image/png\r\na=sendonly\r\n"
                + "a=file-selector:name:\"a.png\" type:image/png size:1000\r\na=file-transfer-id:ft2\r\na=path:"
                + alice.path() + "\r\n";
        alice.sip().send(s.fromCaller("INVITE", 3, "", withFile));
        SipRequest added = bobMoved.sip().receiveRequest();
        ok(bobMoved, added, "", sdp(bobMoved.path(), "") + "m=message 9 TCP/MSRP *\r\na=accept-types:image/png\r\n"
                + "a=recvonly\r\na=file-selector:name:\"a.png\" type:image/png size:1000\r\na=file-transfer-id:ft2\r\n"
                + "a=path:" + bobMoved.relay()
                + " " + fileUri + "\r\n");
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(200);
        String toFile = alice.relay() + " " + bobMoved.relay() + " " + fileUri;
        alice.msrp().send(toFile, "image/png", new byte[1000], 1000, "no");
        assertThat(bobMoved.msrp().receive().body()).hasSize(1000);
        drain(alice.msrp());
        alice.msrp().send(toFile, "image/png", new byte[10], 1000, "no");
        assertThat(alice.msrp().next().status()).as("a second file: over the session's limit").isEqualTo(403);

        // RFC 4028: an UPDATE refresh keeps the session past its first interval
        clock.advance(Duration.ofSeconds(100));
        alice.sip().send(s.fromCaller("UPDATE", 4, "Session-Expires: 120;refresher=uac\r\n", null));
        SipRequest update = bobMoved.sip().receiveRequest();
        assertThat(update.method()).isEqualTo("UPDATE");
        ok(bobMoved, update, "Session-Expires: 120;refresher=uac\r\n", null);
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(100));
        assertThat(alice.sip().silentFor(300)).as("refreshed by the UPDATE").isTrue();

        // the connection the session moved to is the one watched
        bobMoved.msrp().close();
        SipRequest toAlice = byeTo(alice);
        assertThat(toAlice.header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("cause=410"));
        byeTo(bobMoved);
        assertThat(usageOf(s.callId())).contains("messages=3 files=1 ended=vanished", "\"size\":1029");
        assertThat(usageRecords(s.callId())).as("one record for the session, re-INVITEs or not").isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 4028 §8.2: the UAC supports timers (Supported: timer), the UAS does not (no Session-Expires in its 2xx): Parley puts the interval into the 2xx with refresher=uac and Require: timer; without the refresh Parley ends the session with BYE to both (Reason 408)")
    void sessionTimerInsertedInTheAnswer() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Session s = establish(alice, bob, "");
        assertThat(s.ok().header("Session-Expires")).hasValue("120;refresher=uac");
        assertThat(s.ok().headers().values("Require")).contains("timer");
        clock.advance(Duration.ofSeconds(121));
        assertThat(byeTo(alice).header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("cause=408"));
        byeTo(bob);
        assertThat(usageOf(s.callId())).contains("ended=session-timer");
    }

    @Test
    @DisplayName("RFC 4028 §8.2, §9: the UAC does not support timers, the UAS does (refresher=uas in its 2xx): the 2xx goes as it came, no Require added, and the UAS's refresh keeps it; neither supporting them: no Session-Expires is invented and no timer ends the session")
    void sessionTimerWithoutTheUacs() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Session s = establish(alice, bob, false, "Session-Expires: 120;refresher=uas\r\n");
        assertThat(s.ok().header("Session-Expires")).hasValue("120;refresher=uas");
        assertThat(s.ok().headers().values("Require")).doesNotContain("timer");
        clock.advance(Duration.ofSeconds(100));
        bob.sip().send(s.fromCallee("UPDATE", 1, "Session-Expires: 120;refresher=uas\r\n", null));
        SipRequest refresh = alice.sip().receiveRequest();
        assertThat(refresh.method()).isEqualTo("UPDATE");
        ok(alice, refresh, "Session-Expires: 120;refresher=uas\r\n", null);
        assertThat(bob.sip().receiveResponse().status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(100));
        assertThat(alice.sip().silentFor(300)).as("refreshed by the UAS").isTrue();
        alice.sip().send(s.inDialog("BYE", 2));
        byeTo(bob);
        alice.sip().receiveResponse();

        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, "bob", callId, "", sdp(alice.path(), "")).replace("Supported: timer\r\n", ""));
        SipRequest got = bob.sip().receiveRequest();
        assertThat(got.header("Session-Expires")).as("RFC 4028 §8.1: the proxy asks all the same").hasValue("120");
        answer(bob, got, 200, sdp(bob.path(), ""), "");
        SipResponse plain = alice.sip().receiveResponse();
        assertThat(plain.header("Session-Expires")).as("nobody would refresh: none invented").isEmpty();
        Session untimed = new Session(callId, plain, alice, bob);
        alice.sip().send(untimed.inDialog("ACK", 1));
        bob.sip().receiveRequest();
        clock.advance(Duration.ofSeconds(600));
        assertThat(alice.sip().silentFor(300)).as("no session timer runs").isTrue();
        assertThat(untimed.chat("still on").text()).isEqualTo("still on");
        alice.sip().send(untimed.inDialog("BYE", 2));
        byeTo(bob);
        alice.sip().receiveResponse();
        assertThat(usageOf(callId)).contains("ended=bye");
    }

    /** The SDP answer's path: Parley's own MSRP endpoint in a deferred session. */
    private static String answeredPath(SipResponse ok) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("a=path:(\\S+)")
                .matcher(new String(ok.body(), StandardCharsets.UTF_8));
        assertThat(m.find()).as("the answer has a path").isTrue();
        return m.group(1);
    }

    private static int offlineMessages(String user) {
        return new org.parley.messaging.store.JdbiOfflineStore(server.server().context().database())
                .usage("sip:" + user + "@localhost").messages();
    }

    /** Sends one message to Parley's endpoint and returns the status of its (only) chunk's response. */
    private static int sendTo(PythonMsrpPeer peer, String toPath, String text) {
        PythonMsrpPeer.Reply sent = peer.send(toPath, "text/plain", text.getBytes(StandardCharsets.UTF_8), 2048, "no");
        for (int i = 0; i < 10; i++) {
            PythonMsrpPeer.Reply r = peer.next(Duration.ofSeconds(10));
            if (r.kind().equals("response") && r.get("tid").equals(sent.tids().getFirst())) {
                return r.status();
            }
        }
        throw new AssertionError("no response to the SEND");
    }

    @Test
    @DisplayName("MU-3, UC 5.2, OMA IM deferred messaging: every device of the callee refuses the chat (486, 480) and Parley answers on the callee's behalf (200, Warning: deferred), stores what the sender SENDs to its endpoint; a device that never answers (RFC 3261 §17.1.1.2 Timer B: 408) is deferred too; a 603 Decline is relayed, and so is a refusal by the callee's rules (do not disturb: 480)")
    void deferredWhenEveryDeviceRefuses() throws Exception {
        Device alice = device("alice");
        SipTestClient erin1 = opened(TrustedSender.open(server, "erin", "erin-secret"));
        SipTestClient erin2 = opened(TrustedSender.open(server, "erin", "erin-secret"));
        String mine = "msrp://127.0.0.1:9/" + UUID.randomUUID().toString().substring(0, 8) + ";tcp";

        alice.sip().send(invite(alice, "erin", UUID.randomUUID().toString(), "", sdp(mine, "")));
        erin1.send(erin1.receiveRequest().createResponse(486, "e1"));
        erin2.send(erin2.receiveRequest().createResponse(480, "e2"));
        SipResponse deferred = alice.sip().receiveResponse();
        assertThat(deferred.status()).isEqualTo(200);
        assertThat(deferred.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("deferred delivery"));
        assertThat(erin1.receiveRequest().method()).as("ACK of the 486").isEqualTo("ACK");
        assertThat(erin2.receiveRequest().method()).as("ACK of the 480").isEqualTo("ACK");
        try (PythonMsrpPeer direct = PythonMsrpPeer.start()) {
            direct.command("connect", Map.of("transport", "tcp", "host", "127.0.0.1",
                    "port", Integer.toString(server.server().msrpEndpointPort(MsrpTransport.TCP)), "uri", mine));
            assertThat(sendTo(direct, answeredPath(deferred), "for when you are free")).isEqualTo(200);
        }
        // stored, then delivered like any stored message as soon as a device takes it: erin's are registered
        for (SipTestClient device : List.of(erin1, erin2)) {
            SipRequest message = device.receiveRequest();
            assertThat(message.method()).isEqualTo("MESSAGE");
            assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("for when you are free");
            device.send(message.createResponse(200, "m1"));
        }

        // no device answers: every branch times out (RFC 3261 §17.1.1.2 Timer B, 64*T1) and the best answer is 408
        alice.sip().send(invite(alice, "erin", UUID.randomUUID().toString(), "", sdp(mine, "")));
        assertThat(erin1.receiveRequest().method()).isEqualTo("INVITE");
        assertThat(erin2.receiveRequest().method()).isEqualTo("INVITE");
        clock.advance(Duration.ofSeconds(33));
        SipResponse timedOut = alice.sip().receiveResponse();
        assertThat(timedOut.status()).isEqualTo(200);
        assertThat(timedOut.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("(408 "));

        // the user said no: 603 is relayed, never deferred
        alice.sip().send(invite(alice, "erin", UUID.randomUUID().toString(), "", sdp(mine, "")));
        erin1.receiveRequest();
        SipRequest declined = erin2.receiveRequest();
        erin2.send(declined.createResponse(603, "e2"));
        assertThat(alice.sip().receiveResponse().status()).isEqualTo(603);

        // the callee's rules: do not disturb refuses the deferral too
        server.messagingControls("fred", "{\"deliveryEnabled\":true,\"doNotDisturb\":true,\"blockedSenders\":[],"
                + "\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
        SipTestClient fred = opened(TrustedSender.open(server, "fred", "fred-secret"));
        alice.sip().send(invite(alice, "fred", UUID.randomUUID().toString(), "", sdp(mine, "")));
        fred.send(fred.receiveRequest().createResponse(486, "f1"));
        SipResponse dnd = alice.sip().receiveResponse();
        assertThat(dnd.status()).isEqualTo(480);
        assertThat(dnd.reason()).contains("do not disturb");
    }

    @Test
    @DisplayName("MU-3, RFC 4976 §7, RFC 4975 §6: a sender who reaches Parley's MSRP only through the relay (over TLS, Use-Path) sends to a deferred callee: the relay carries the session's SENDs to Parley's own endpoint, whose 200 comes once the message is stored, with its success REPORT back through the relay; the message reaches the callee on registration; another user naming that endpoint through the relay is refused (403)")
    void deferredSenderThroughTheRelay() throws Exception {
        int tls = server.server().msrpPort(MsrpTransport.TLS);
        String relay = "msrps://127.0.0.1:" + tls + ";tcp";
        String mine = "msrps://127.0.0.1:9/" + UUID.randomUUID().toString().substring(0, 8) + ";tcp";
        PythonMsrpPeer msrp = opened(PythonMsrpPeer.start());
        msrp.command("connect", Map.of("transport", "tls", "host", "127.0.0.1", "port", Integer.toString(tls),
                "cafile", certificate.toString(), "uri", mine));
        PythonMsrpPeer.Reply auth = msrp.auth(relay, "alice", "alice-secret");
        assertThat(auth.status()).isEqualTo(200);
        Device alice = new Device("alice", opened(TrustedSender.open(server, "alice", "alice-secret")), msrp,
                auth.get("use-path"));
        int before = offlineMessages("gina");

        String callId = UUID.randomUUID().toString();
        alice.sip().send(invite(alice, "gina", callId, "", sdp(alice.relay() + " " + mine, "")
                .replace(" TCP/MSRP ", " TCP/TLS/MSRP ")));
        SipResponse ok = alice.sip().receiveResponse();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("deferred delivery"));
        String parley = answeredPath(ok);
        assertThat(parley).startsWith("msrps://");

        PythonMsrpPeer.Reply sent = msrp.send(alice.relay() + " " + parley, "text/plain",
                "sent through the relay".getBytes(StandardCharsets.UTF_8), 2048, "yes");
        PythonMsrpPeer.Reply response = msrp.next();
        assertThat(response.kind()).isEqualTo("response");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.get("tid")).isEqualTo(sent.tids().getFirst());
        assertThat(offlineMessages("gina")).as("stored before the 200").isEqualTo(before + 1);
        PythonMsrpPeer.Reply report = msrp.next();
        assertThat(report.method()).isEqualTo("REPORT");
        assertThat(report.header("Status")).hasValue("000 200 OK");
        assertThat(report.header("Message-ID")).hasValue(sent.get("message-id"));
        assertThat(report.header("From-Path")).hasValueSatisfying(p -> assertThat(p).isEqualTo(alice.relay() + " " + parley));

        Device bob = device("bob");
        bob.msrp().send(bob.relay() + " " + parley, "text/plain", "not my session".getBytes(StandardCharsets.UTF_8),
                2048, "no");
        assertThat(bob.msrp().next().status()).as("not a session bob is part of").isEqualTo(403);
        assertThat(offlineMessages("gina")).isEqualTo(before + 1);

        try (SipTestClient gina = TrustedSender.open(server, "gina", "gina-secret")) {
            SipRequest summary = gina.receiveRequest();
            gina.send(summary.createResponse(200, "g1"));
            SipRequest message = gina.receiveRequest();
            gina.send(message.createResponse(200, "g1"));
            assertThat(message.from().uri().toString()).isEqualTo("sip:alice@localhost");
            assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("sent through the relay");
        }
    }
}
