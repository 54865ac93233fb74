package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.msrp.MsrpTransport;
import org.parley.server.TestServer;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.parley.testkit.msrp.PythonMsrpPeer;
import org.parley.xdm.oma.Group;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.oma.GroupXml;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlSchema;
import org.parley.xml.XmlWriter;

/**
 * Session members at the conference focus over the wire (issue 11): the independent Python MSRP
 * peer (RFC 4975) as members that INVITE the room and exchange SENDs with Parley's MSRP endpoint,
 * beside pager members (MESSAGE) in the same rooms; the conference package validated against
 * RFC 4575's schema; hostile input and slow readers.
 */
@DisplayName("Session members at the focus (RFC 4353, RFC 4579 §3, RFC 4975, RFC 3862; PP-27..PP-36, UC 5.9, UC 5.17)")
class ConferenceSessionWireTest {
    private static final XmlSchema CONFERENCE_INFO = XmlSchema.load("schema/conference-info.xsd");
    /** Chunks a session member may leave unanswered before the focus drops it (small, to see it happen). */
    private static final int BACKLOG = 6;
    private static final int MAX_MEMBERS = 5;
    private static final String FACTORY = "sip:adhoc_chat@groups.localhost";
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of("msrp.endpoint.tcp.port", "0",
                "conference.session.max-unanswered", Integer.toString(BACKLOG),
                "conference.room.max-members", Integer.toString(MAX_MEMBERS)));
        for (String u : List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "judy",
                "kim", "lou", "mona", "ned", "olga", "pat", "rita", "sam", "uma", "vic")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String room(String name) {
        return "sip:room_" + name + "@groups.localhost";
    }

    static String text(SipRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /**
     * A pager-mode member on a TCP connection it registered over; answers every request 200 and
     * keeps what it was not waiting for, so that a NOTIFY and a MESSAGE may come in either order.
     */
    static final class PagerMember implements AutoCloseable {
        final SipTestClient c;
        final String user;
        private final List<SipRequest> backlog = new ArrayList<>();

        PagerMember(String user) throws IOException {
            this.user = user;
            this.c = TrustedSender.open(server, user, user + "-secret");
        }

        SipResponse say(String target, String body) throws IOException {
            c.send(TrustedSender.message(c, user, target, body));
            return c.receiveResponse();
        }

        void ok(String target, String body) throws IOException {
            SipResponse r = say(target, body);
            assertThat(r.status()).as(user + ": " + body + " -> " + r.startLine()).isEqualTo(200);
        }

        SipRequest until(Predicate<SipRequest> wanted) throws IOException {
            for (SipRequest r : List.copyOf(backlog)) {
                if (wanted.test(r)) {
                    backlog.remove(r);
                    return r;
                }
            }
            for (int i = 0; i < 40; i++) {
                SipRequest r = c.receiveRequest();
                c.send(r.createResponse(200, "OK"));
                if (wanted.test(r)) {
                    return r;
                }
                backlog.add(r);
            }
            throw new AssertionError(user + " never got it; got " + backlog.stream().map(r -> r.method() + " "
                    + text(r)).toList());
        }

        SipRequest until(String contains) throws IOException {
            return until(r -> r.method().equals("MESSAGE") && text(r).contains(contains));
        }

        /** Whether no MESSAGE containing {@code contains} came, nor comes within a short while. */
        boolean never(String contains) throws IOException {
            while (true) {
                Optional<SipMessage> m = c.poll(400);
                if (m.isEmpty()) {
                    break;
                }
                if (m.get() instanceof SipRequest r) {
                    c.send(r.createResponse(200, "OK"));
                    backlog.add(r);
                }
            }
            return backlog.stream().noneMatch(r -> r.method().equals("MESSAGE") && text(r).contains(contains));
        }

        @Override
        public void close() throws IOException {
            c.close();
        }
    }

    /**
     * A session member: SIP from a UDP test client (digest-challenged INVITE, RFC 3261 §22.3), MSRP
     * from the Python peer, which connects to Parley's endpoint (RFC 4975 §5.4: the offerer is active).
     */
    static final class Session implements AutoCloseable {
        final String user;
        final SipTestClient sip;
        final PythonMsrpPeer peer;
        final String ownUri;
        SipResponse answer;
        String focusPath;

        Session(String user) throws IOException {
            this.user = user;
            this.sip = SipTestClient.udp(server.sipPort(Transport.UDP));
            this.peer = PythonMsrpPeer.start();
            this.ownUri = peer.connect("tcp", server.server().msrpEndpointPort(MsrpTransport.TCP), null);
        }

        /** INVITEs {@code target} with an MSRP offer; the From display name is the screen name asked for. */
        SipResponse invite(String target, String display) throws IOException {
            return invite(target, display, "application/sdp", offer(ownUri), "");
        }

        SipResponse invite(String target, String display, String contentType, String body, String extra)
                throws IOException {
            answer = Invite.send(sip, user, display, target, contentType, body, extra);
            if (answer.isSuccess()) {
                Matcher m = Pattern.compile("a=path:(\\S+)").matcher(new String(answer.body(), StandardCharsets.UTF_8));
                assertThat(m.find()).as("the answer has a path").isTrue();
                focusPath = m.group(1);
            }
            return answer;
        }

        /** Binds the MSRP connection to the session with an empty SEND (RFC 4975 §5.4). */
        void bind() {
            assertThat(sendRaw("text/plain", new byte[0])).isEqualTo(200);
        }

        int say(String text) {
            return sendRaw("text/plain", text.getBytes(StandardCharsets.UTF_8));
        }

        /** A CPIM message (RFC 3862) with the given To, From the member itself. */
        int cpim(String to, String text) {
            return sendRaw("message/cpim", cpimBody("<sip:" + user + "@localhost>", to, text));
        }

        /** Sends one message and returns the status of its last chunk's response. */
        int sendRaw(String contentType, byte[] body) {
            PythonMsrpPeer.Reply sent = peer.send(focusPath, contentType, body, 2048, "no");
            List<String> tids = sent.tids();
            int last = -1;
            for (int answered = 0; answered < tids.size(); ) {
                PythonMsrpPeer.Reply r = peer.next(Duration.ofSeconds(10));
                if (r.isRequest() && r.method().equals("SEND")) {
                    peer.respond(r.get("tid"), 200, "OK"); // the room's copies meanwhile
                    pending.add(r);
                    continue;
                }
                assertThat(r.kind()).as("a response to every chunk").isEqualTo("response");
                if (tids.contains(r.get("tid"))) {
                    answered++;
                    last = r.status();
                    lastComment = r.get("comment");
                }
            }
            return last;
        }

        final List<PythonMsrpPeer.Reply> pending = new ArrayList<>();
        String lastComment = "";

        /** The next whole message the room sends whose body contains {@code text} (answering all). */
        PythonMsrpPeer.Reply until(String text) {
            List<String> seen = new ArrayList<>();
            for (PythonMsrpPeer.Reply r : List.copyOf(pending)) {
                pending.remove(r);
                if (r.text().contains(text)) {
                    return r;
                }
                seen.add(r.text());
            }
            for (int i = 0; i < 30; i++) {
                PythonMsrpPeer.Reply r = peer.receive(Duration.ofSeconds(10), 200);
                assertThat(r.kind()).as(user + " waits for '" + text + "' after " + seen).isEqualTo("message");
                if (r.text().contains(text)) {
                    return r;
                }
                seen.add(r.text());
            }
            throw new AssertionError(user + " never got '" + text + "'; got " + seen);
        }

        /** Nothing more for a short while. */
        boolean quiet() {
            return peer.receive(Duration.ofMillis(500), 200).kind().equals("timeout");
        }

        /** The focus's BYE on the SIP side (answered 200). */
        SipRequest byeFromFocus() throws IOException {
            SipRequest bye = byeFromFocusUnanswered();
            sip.send(bye.createResponse(200, "OK"));
            return bye;
        }

        SipRequest byeFromFocusUnanswered() throws IOException {
            for (int i = 0; i < 10; i++) {
                SipRequest r = sip.receiveRequest();
                if (r.method().equals("BYE")) {
                    return r;
                }
                sip.send(r.createResponse(200, "OK"));
            }
            throw new AssertionError("no BYE from the focus");
        }

        SipResponse bye() throws IOException {
            String contact = answer.header("Contact").orElseThrow().replaceAll("^<|>(;.*)?$", "");
            sip.send("BYE " + contact + " SIP/2.0\r\nVia: " + sip.via() + "\r\nFrom: " + answer.header("From").orElseThrow()
                    + "\r\nTo: " + answer.header("To").orElseThrow() + "\r\nCall-ID: " + answer.callId()
                    + "\r\nCSeq: 3 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            return sip.receiveResponse();
        }

        @Override
        public void close() throws IOException {
            peer.close();
            sip.close();
        }
    }

    static String offer(String path) {
        return "v=0\r\no=- 2890844526 2890844527 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message " + path.replaceAll(".*:(\\d+)/.*", "$1") + " TCP/MSRP *\r\n"
                + "a=accept-types:message/cpim text/plain\r\na=accept-wrapped-types:*\r\na=path:" + path + "\r\n";
    }

    static byte[] cpimBody(String from, String to, String text) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nDateTime: 2026-12-06T19:00:00Z\r\n\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n\r\n" + text).getBytes(StandardCharsets.UTF_8);
    }

    /** The CPIM header lines of a SEND's body (RFC 3862 §3), up to the first empty line. */
    static String cpimHeaders(PythonMsrpPeer.Reply r) {
        String t = r.text();
        return t.substring(0, t.indexOf("\r\n\r\n"));
    }

    static void validConferenceInfo(SipRequest notify) {
        assertThat(notify.header("Content-Type")).hasValue("application/conference-info+xml");
        assertThatCode(() -> CONFERENCE_INFO.validate(XmlParser.parse(notify.body()))).doesNotThrowAnyException();
    }

    /** An out-of-dialog INVITE with any body, the 407 answered, every final response acknowledged. */
    static final class Invite {
        private Invite() {
        }

        static SipResponse send(SipTestClient client, String user, String display, String target, String contentType,
                                String body, String extra) throws IOException {
            String callId = UUID.randomUUID().toString();
            String fromTag = UUID.randomUUID().toString().substring(0, 8);
            SipResponse r = once(client, user, display, target, contentType, body, extra, callId, fromTag, 1, null);
            if (r.status() == 407) {
                Digest challenge = Digest.parse(r.headers().lines("Proxy-Authenticate").get(0));
                r = once(client, user, display, target, contentType, body, extra, callId, fromTag, 2,
                        challenge.authorization("INVITE", target, user, user + "-secret", 1));
            }
            return r;
        }

        private static SipResponse once(SipTestClient client, String user, String display, String target,
                                        String contentType, String body, String extra, String callId, String fromTag,
                                        int cseq, String authorization) throws IOException {
            String via = client.via();
            String from = (display == null ? "" : "\"" + display + "\" ") + "<sip:" + user + "@localhost>;tag=" + fromTag;
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            client.send("INVITE " + target + " SIP/2.0\r\nVia: " + via + "\r\nFrom: " + from + "\r\nTo: <" + target
                    + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " INVITE\r\nMax-Forwards: 70\r\nContact: <sip:"
                    + user + "@" + client.localAddress() + ":" + client.localPort() + ">\r\n" + extra
                    + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
                    + "Content-Type: " + contentType + "\r\nContent-Length: " + b.length + "\r\n\r\n" + body);
            SipResponse r = client.receiveResponse();
            while (!r.header("CSeq").orElseThrow().startsWith(cseq + " ")) {
                r = client.receiveResponse();
            }
            String ackVia = r.isSuccess() ? client.via() : via;
            String ackTarget = r.isSuccess() ? r.header("Contact").orElseThrow().replaceAll("^<|>(;.*)?$", "") : target;
            client.send("ACK " + ackTarget + " SIP/2.0\r\nVia: " + ackVia + "\r\nFrom: " + from + "\r\nTo: "
                    + r.header("To").orElseThrow() + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                    + " ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            return r;
        }
    }

    @Test
    @DisplayName("RFC 4353 §5, RFC 4579 §3, PP-27, PP-29, PP-31, PP-32, PP-33, PP-34, PP-38, MU-6: MSRP and pager members in one "
            + "room — the focus answers (isfocus), history and every message reach everyone in their mode, private "
            + "messages one member, BYE takes the member out")
    void msrpAndPagerMembersInOneRoom() throws IOException {
        try (PagerMember alice = new PagerMember("alice"); Session bob = new Session("bob"); Session carol = new Session("carol")) {
            alice.ok(room("mixed"), "#create");
            alice.until("created");
            alice.ok(room("mixed"), "said before anyone came");
            alice.c.send(TrustedSender.request(alice.c, "SUBSCRIBE", "alice", room("mixed"),
                    "Event: conference\r\nExpires: 600\r\nAccept: application/conference-info+xml\r\n", ""));
            assertThat(alice.c.receiveResponse().status()).isEqualTo(200);
            validConferenceInfo(alice.until(r -> r.method().equals("NOTIFY")));

            SipResponse ok = bob.invite(room("mixed"), null);
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            assertThat(ok.header("Contact")).hasValueSatisfying(c -> assertThat(c).endsWith(";isfocus"));
            assertThat(new String(ok.body(), StandardCharsets.UTF_8)).contains("m=message ", " TCP/MSRP ",
                    "a=accept-types:message/cpim text/plain", "a=setup:passive").doesNotContain("a=recvonly", "a=sendonly");
            assertThat(bob.focusPath).startsWith("msrp://127.0.0.1:" + server.server().msrpEndpointPort(MsrpTransport.TCP));
            assertThat(text(alice.until("joined"))).isEqualTo("bob (sip:bob@localhost) joined");
            SipRequest joined = alice.until(r -> r.method().equals("NOTIFY"));
            validConferenceInfo(joined);
            assertThat(text(joined)).contains("entity=\"sip:bob@localhost\"", "<status>connected");

            bob.bind();
            assertThat(bob.until("Welcome").text()).contains("Welcome to mixed as bob");
            PythonMsrpPeer.Reply history = bob.until("said before anyone came");
            assertThat(history.get("content-type").isEmpty() ? history.header("Content-Type").orElse("")
                    : history.get("content-type")).isEqualTo("message/cpim");
            assertThat(cpimHeaders(history)).contains("From: \"alice (sip:alice@localhost)\" <" + room("mixed") + ">",
                    "DateTime: ");

            assertThat(carol.invite(room("mixed"), "Caro").status()).isEqualTo(200);
            carol.bind();
            carol.until("Welcome to mixed as Caro");
            bob.until("Caro (sip:carol@localhost) joined");
            alice.until("Caro (sip:carol@localhost) joined");

            assertThat(bob.say("hello from a session")).isEqualTo(200);
            SipRequest copy = alice.until("hello from a session");
            assertThat(copy.from().displayName()).isEqualTo("bob (sip:bob@localhost)");
            assertThat(copy.from().uri().toString()).isEqualTo(room("mixed"));
            PythonMsrpPeer.Reply atCarol = carol.until("hello from a session");
            assertThat(cpimHeaders(atCarol)).contains("From: \"bob\" <sip:bob@localhost>", "To: <" + room("mixed") + ">");
            assertThat(bob.quiet()).as("no copy to the sender").isTrue();

            alice.ok(room("mixed"), "hello from a pager");
            assertThat(cpimHeaders(bob.until("hello from a pager"))).contains("From: \"alice\" <sip:alice@localhost>");
            carol.until("hello from a pager");

            assertThat(carol.cpim("<" + room("mixed") + ">", "CPIM to the room")).isEqualTo(200);
            assertThat(text(alice.until("CPIM to the room"))).as("the content, CPIM opened").isEqualTo("CPIM to the room");
            bob.until("CPIM to the room");

            assertThat(carol.cpim("<sip:bob@localhost>", "only for bob")).isEqualTo(200);
            PythonMsrpPeer.Reply secret = bob.until("only for bob");
            assertThat(cpimHeaders(secret)).contains("From: \"Caro [private]\" <sip:carol@localhost>",
                    "To: <sip:bob@localhost>");
            assertThat(alice.never("only for bob")).as("a private message reaches one member").isTrue();
            alice.ok(room("mixed"), "#msg bob pager secret");
            assertThat(cpimHeaders(bob.until("pager secret"))).contains("[private]", "To: <sip:bob@localhost>");
            assertThat(carol.quiet()).as("nor does a pager member's").isTrue();

            assertThat(bob.bye().status()).isEqualTo(200);
            assertThat(text(alice.until("bob (sip:bob@localhost) left"))).isEqualTo("bob (sip:bob@localhost) left");
            SipRequest left = alice.until(r -> r.method().equals("NOTIFY") && text(r).contains("deleted"));
            validConferenceInfo(left);
            assertThat(text(left)).contains("entity=\"sip:bob@localhost\"", "<disconnection-method>departed");
            carol.until("bob (sip:bob@localhost) left");
            alice.ok(room("mixed"), "after bob");
            carol.until("after bob");
            assertThat(bob.quiet()).isTrue();
        }
    }

    @Test
    @DisplayName("PP-27, PP-29, PP-31, PP-32, C14 (interop), RFC 3862: a SIPp pager member and an MSRP session member in "
            + "one room — SIPp creates it with #create, the session member's SEND reaches SIPp's device as a MESSAGE "
            + "from the room naming the sender, SIPp's MESSAGE reaches the session as a CPIM SEND")
    void sippBesideASessionMember(@TempDir Path work) throws Exception {
        int udp = server.sipPort(Transport.UDP);
        int device = Sipp.freePort();
        Sipp.Result registered = Sipp.startOn(device, "register-digest.xml", udp, "u1",
                List.of("rita;rita-secret;localhost;600"), 1, "-au", "rita", "-ap", "rita-secret").await();
        assertThat(registered.passed()).as(registered.output()).isTrue();
        Path log = work.resolve("rita-device.log");
        try (Session sam = new Session("sam");
             Sipp.Running rita = Sipp.startOn(device, "room-receive.xml", udp, "u1", List.of("rita"), 3,
                     "-trace_logs", "-log_file", log.toString())) {
            Sipp.Result created = Sipp.run("room-message-uac.xml", udp, "u1",
                    List.of("rita;rita-secret;localhost;" + room("interop") + ";#create"), 1);
            assertThat(created.passed()).as(created.output()).isTrue();

            assertThat(sam.invite(room("interop"), null).status()).isEqualTo(200);
            sam.bind();
            sam.until("Welcome to interop as sam");
            assertThat(sam.say("hello from a session")).isEqualTo(200);

            Sipp.Result hello = Sipp.run("room-message-uac.xml", udp, "u1",
                    List.of("rita;rita-secret;localhost;" + room("interop") + ";Hello from SIPp"), 1);
            assertThat(hello.passed()).as(hello.output()).isTrue();
            assertThat(cpimHeaders(sam.until("Hello from SIPp"))).contains("From: \"rita\" <sip:rita@localhost>");

            Sipp.Result taken = rita.await();
            assertThat(taken.passed()).as(taken.output()).isTrue();
            assertThat(Files.readString(log)).contains("sam (sip:sam@localhost) joined",
                    "\"sam (sip:sam@localhost)\" <" + room("interop") + ">", "body: hello from a session");
        }
    }

    @Test
    @DisplayName("Hostile input (issue 11): an INVITE flood to a room — a member holds at most "
            + "conference.session.max-per-member sessions with it, every further INVITE is 403 with the reason")
    void inviteFloodToARoom() throws IOException {
        try (PagerMember uma = new PagerMember("uma"); Session vic = new Session("vic")) {
            uma.ok(room("flood"), "#create");
            for (int i = 0; i < 4; i++) {
                assertThat(vic.invite(room("flood"), null).status()).as("session " + (i + 1)).isEqualTo(200);
            }
            for (int i = 0; i < 6; i++) {
                SipResponse refused = vic.invite(room("flood"), null);
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.reason()).contains("conference.session.max-per-member");
            }
            vic.bind();
            assertThat(vic.say("still heard")).isEqualTo(200);
            uma.until("still heard");
        }
    }

    @Test
    @DisplayName("UC 5.17, RFC 3862: in a public room session members see screen names and room entities, never an address; "
            + "a lost MSRP connection takes the member out")
    void publicRoomShowsScreenNamesOnly() throws Exception {
        try (PagerMember dave = new PagerMember("dave"); Session erin = new Session("erin")) {
            dave.ok(room("plaza"), "#create public Host");
            dave.until("created");
            assertThat(erin.invite(room("plaza"), "Kestrel").status()).isEqualTo(200);
            erin.bind();
            erin.until("Welcome to plaza as Kestrel");
            assertThat(text(dave.until("joined"))).isEqualTo("Kestrel joined");

            dave.ok(room("plaza"), "hi kestrel");
            PythonMsrpPeer.Reply got = erin.until("hi kestrel");
            assertThat(cpimHeaders(got)).contains("From: \"Host\" <" + room("plaza") + ";screen-name=Host>")
                    .doesNotContain("sip:dave@");
            assertThat(erin.cpim("<" + room("plaza") + ">", "hi host")).isEqualTo(200);
            SipRequest copy = dave.until("hi host");
            assertThat(copy.from().displayName()).isEqualTo("Kestrel");
            assertThat(new String(copy.encode(), StandardCharsets.UTF_8)).doesNotContain("sip:erin@");

            erin.peer.command("close", Map.of());
            assertThat(text(dave.until("Kestrel left"))).isEqualTo("Kestrel left");
        }
    }

    @Test
    @DisplayName("PP-40, PP-41, RFC 3862 §7, RFC 4975 §7.3, RFC 3261 §21: a banned member's session ends (BYE with Reason) and "
            + "its SENDs are refused; forged CPIM From, malformed CPIM and oversize messages refused; locked and full "
            + "rooms, unknown rooms and bad offers refused with reasons")
    void hostileInput() throws IOException {
        try (PagerMember frank = new PagerMember("frank"); Session gina = new Session("gina"); Session hank = new Session("hank")) {
            frank.ok(room("guarded"), "#create");
            frank.until("created");
            assertThat(gina.invite(room("guarded"), null).status()).isEqualTo(200);
            gina.bind();
            gina.until("Welcome");

            assertThat(gina.cpim("<" + room("guarded") + ">", "x") ).isEqualTo(200);
            assertThat(gina.sendRaw("message/cpim", cpimBody("<sip:frank@localhost>", "<" + room("guarded") + ">",
                    "forged"))).as("a CPIM From that is not the sender").isEqualTo(403);
            assertThat(gina.sendRaw("message/cpim", "no headers at all".getBytes(StandardCharsets.UTF_8)))
                    .as("malformed CPIM").isEqualTo(400);
            assertThat(gina.cpim("<sip:nobody@localhost>", "to nobody")).as("no such member").isEqualTo(403);
            assertThat(gina.sendRaw("message/cpim", cpimBody("<sip:gina@localhost>", "<" + room("guarded") + ">",
                    "x".repeat(20_000)))).as("an oversize CPIM message: over messaging.max-body-bytes").isEqualTo(413);
            assertThat(gina.sendRaw("application/octet-stream", new byte[] {1, 2})).as("not in accept-types")
                    .isEqualTo(415);

            frank.ok(room("guarded"), "#ban gina");
            SipRequest bye = gina.byeFromFocusUnanswered();
            assertThat(bye.header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("banned"));
            assertThat(gina.say("still here?")).as("banned: refused while the BYE is unanswered").isEqualTo(403);
            assertThat(gina.lastComment).contains("banned");
            gina.sip.send(bye.createResponse(200, "OK"));
            assertThat(gina.invite(room("guarded"), "OtherName").status()).as("banned whatever the name").isEqualTo(403);

            frank.ok(room("guarded"), "#lock");
            SipResponse locked = hank.invite(room("guarded"), null);
            assertThat(locked.status()).isEqualTo(403);
            assertThat(locked.reason()).contains("locked");
            frank.ok(room("guarded"), "#unlock");
            frank.ok(room("guarded"), "#max 1");
            SipResponse full = hank.invite(room("guarded"), null);
            assertThat(full.status()).isEqualTo(403);
            assertThat(full.reason()).contains("full");
            assertThat(hank.invite(room("nowhere"), null).status()).isEqualTo(404);
            SipResponse garbage = Invite.send(hank.sip, "hank", null, room("guarded"), "application/sdp", "v=0\r\nnonsense",
                    "");
            assertThat(garbage.status()).isIn(400, 488);
            assertThat(Invite.send(hank.sip, "hank", null, room("guarded"), "text/plain", "hi", "").status())
                    .isEqualTo(415);
        }
    }

    @Test
    @DisplayName("Flow control: a session member that stops reading is dropped with a reason once its backlog is full; the "
            + "room and its other members go on")
    void slowReaderIsDropped() throws IOException {
        try (PagerMember ivy = new PagerMember("ivy"); Session judy = new Session("judy"); Session kim = new Session("kim")) {
            ivy.ok(room("busy"), "#create");
            ivy.until("created");
            assertThat(judy.invite(room("busy"), null).status()).isEqualTo(200);
            judy.bind();
            judy.until("Welcome");
            assertThat(kim.invite(room("busy"), null).status()).isEqualTo(200);
            kim.bind(); // and never reads again
            judy.until("kim (sip:kim@localhost) joined");
            for (int i = 0; i < BACKLOG + 4; i++) {
                ivy.ok(room("busy"), "message " + i);
                judy.until("message " + i);
            }
            SipRequest bye = kim.byeFromFocus();
            assertThat(bye.header("Reason")).hasValueSatisfying(r -> assertThat(r).contains("too slowly"));
            assertThat(text(ivy.until("kim (sip:kim@localhost) left"))).contains("left");
            ivy.ok(room("busy"), "after kim");
            judy.until("after kim");
        }
    }

    /** An RFC 5366 body: the SDP offer and a resource-lists URI list (Content-Disposition: recipient-list). */
    static String uriListBody(String sdp, String list) {
        return "--b7\r\nContent-Type: application/sdp\r\n\r\n" + sdp + "\r\n--b7\r\n"
                + "Content-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n"
                + list + "\r\n--b7--\r\n";
    }

    static String resourceList(String... users) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>");
        for (String u : users) {
            b.append("<entry uri=\"sip:").append(u).append("@localhost\"/>");
        }
        return b.append("</list></resource-lists>").toString();
    }

    static SipResponse refer(PagerMember from, String roomUri, String referTo) throws IOException {
        from.c.send(TrustedSender.request(from.c, "REFER", from.user, roomUri, "Refer-To: " + referTo + "\r\n", ""));
        return from.c.receiveResponse();
    }

    @Test
    @DisplayName("GIM-4, UC 5.4, RFC 5366, RFC 4579 §5.4-§5.6, RFC 3515: an INVITE with a URI list to the conference factory "
            + "starts an ad-hoc room, the inviter in session and the listed users invited; a member REFERs another in "
            + "(NOTIFY message/sipfrag); a non-member's REFER is 403; the room goes with its last member")
    void adHocChatByUriListAndRefer() throws IOException {
        try (Session bob = new Session("bob"); PagerMember carol = new PagerMember("carol");
             PagerMember dave = new PagerMember("dave"); PagerMember erin = new PagerMember("erin");
             PagerMember lou = new PagerMember("lou")) {
            SipResponse ok = bob.invite(FACTORY, null, "multipart/mixed;boundary=b7",
                    uriListBody(offer(bob.ownUri), resourceList("carol", "dave", "bob")),
                    "Require: recipient-list-invite\r\nSubject: Lunch plans\r\n");
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            assertThat(ok.header("Contact")).hasValueSatisfying(c -> assertThat(c).contains("room_adhoc-").endsWith(";isfocus"));
            bob.bind();
            assertThat(bob.until("Welcome").text()).contains("Welcome to Lunch plans as bob");
            Matcher m = Pattern.compile("(sip:room_adhoc-[0-9a-f]+@groups\\.localhost)")
                    .matcher(bob.until("Ad-hoc chat sip:room_adhoc-").text());
            assertThat(m.find()).isTrue();
            String adHoc = m.group(1);

            assertThat(text(carol.until("invites you to"))).contains("bob", "Lunch plans", adHoc);
            assertThat(text(dave.until("invites you to"))).contains(adHoc);
            assertThat(erin.say(adHoc, "#join").status()).as("ad-hoc rooms are locked: invited only").isEqualTo(403);
            carol.ok(adHoc, "#accept");
            bob.until("carol (sip:carol@localhost) joined");

            SipResponse accepted = refer(carol, adHoc, "<sip:erin@localhost;method=INVITE>");
            assertThat(accepted.status()).as(accepted.startLine()).isEqualTo(202);
            SipRequest trying = carol.until(r -> r.method().equals("NOTIFY"));
            assertThat(trying.header("Event")).hasValue("refer");
            assertThat(trying.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("message/sipfrag"));
            assertThat(text(trying)).startsWith("SIP/2.0 100");
            SipRequest done = carol.until(r -> r.method().equals("NOTIFY"));
            assertThat(text(done)).startsWith("SIP/2.0 200");
            assertThat(done.header("Subscription-State")).hasValueSatisfying(st -> assertThat(st).startsWith("terminated"));
            assertThat(text(erin.until("invites you to"))).contains("carol", adHoc);
            erin.ok(adHoc, "#accept");
            bob.until("erin (sip:erin@localhost) joined");

            assertThat(refer(lou, adHoc, "<sip:lou@localhost>").status()).as("not a member").isEqualTo(403);
            assertThat(refer(carol, adHoc, "<sip:nobody@localhost>").status()).isEqualTo(404);
            assertThat(refer(carol, "sip:room_gone@groups.localhost", "<sip:lou@localhost>").status()).isEqualTo(404);

            assertThat(bob.bye().status()).isEqualTo(200);
            carol.until("bob (sip:bob@localhost) left");
            erin.ok(adHoc, "#leave");
            carol.ok(adHoc, "#leave");
            assertThat(carol.say(adHoc, "#list").status()).as("the ad-hoc room is gone with its last member")
                    .isEqualTo(404);
        }
    }

    @Test
    @DisplayName("RFC 5366, UC 5.4: a malformed URI list is 400, a list over the operator's maximum room size 403, a list "
            + "naming nobody known 404, each with a reason")
    void hostileUriLists() throws IOException {
        try (Session kim = new Session("kim")) {
            SipResponse broken = kim.invite(FACTORY, null, "multipart/mixed;boundary=b7",
                    uriListBody(offer(kim.ownUri), "<resource-lists><list><entry uri="), "");
            assertThat(broken.status()).isEqualTo(400);
            assertThat(broken.reason()).contains("URI list");
            SipResponse noList = kim.invite(FACTORY, null, "multipart/mixed;boundary=b7",
                    "--b7\r\nContent-Type: application/sdp\r\n\r\n" + offer(kim.ownUri) + "\r\n--b7--\r\n", "");
            assertThat(noList.status()).isEqualTo(400);
            SipResponse tooMany = kim.invite(FACTORY, null, "multipart/mixed;boundary=b7",
                    uriListBody(offer(kim.ownUri), resourceList("lou", "mona", "ned", "olga", "pat")), "");
            assertThat(tooMany.status()).isEqualTo(403);
            assertThat(tooMany.reason()).contains("at most " + MAX_MEMBERS);
            SipResponse unknown = kim.invite(FACTORY, null, "multipart/mixed;boundary=b7",
                    uriListBody(offer(kim.ownUri), resourceList("nobody")), "");
            assertThat(unknown.status()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("UC 5.17: where the operator prohibits turning a public contact private, private messages (#msg, CPIM To), "
            + "MESSAGEs and sessions to a screen name are refused with a reason that names nobody")
    void publicContactStaysPublic(@TempDir Path otherDir) throws IOException {
        TestServer strict = TestServer.start(otherDir, new SystemScheduler(), Map.of("msrp.endpoint.tcp.port", "0",
                "conference.public-chat.private-contact", "false"));
        try {
            for (String u : List.of("alice", "bob")) {
                strict.addUser(u, u + "-secret", null, List.of());
            }
            try (SipTestClient alice = TrustedSender.open(strict, "alice", "alice-secret");
                 SipTestClient bob = TrustedSender.open(strict, "bob", "bob-secret")) {
                assertThat(say(alice, "alice", room("square"), "#create public Ann").status()).isEqualTo(200);
                assertThat(say(bob, "bob", room("square"), "#join Bo").status()).isEqualTo(200);
                SipResponse msg = say(bob, "bob", room("square"), "#msg Ann hello you");
                assertThat(msg.status()).isEqualTo(403);
                assertThat(msg.reason()).contains("cannot be contacted privately").doesNotContain("sip:");
                SipResponse direct = say(bob, "bob", room("square") + ";screen-name=Ann", "hello you");
                assertThat(direct.status()).isEqualTo(403);
                assertThat(direct.reason()).doesNotContain("alice");
                assertThat(say(bob, "bob", room("square"), "hello all").status()).as("the room itself still works")
                        .isEqualTo(200);

                PythonMsrpPeer peer = PythonMsrpPeer.start();
                try (SipTestClient sip = SipTestClient.udp(strict.sipPort(Transport.UDP))) {
                    String own = peer.connect("tcp", strict.server().msrpEndpointPort(MsrpTransport.TCP), null);
                    SipResponse toScreenName = Invite.send(sip, "bob", null, room("square") + ";screen-name=Ann",
                            "application/sdp", offer(own), "");
                    assertThat(toScreenName.status()).isEqualTo(403);
                    assertThat(toScreenName.reason()).doesNotContain("alice");
                    SipResponse joined = Invite.send(sip, "bob", null, room("square"), "application/sdp", offer(own), "");
                    assertThat(joined.status()).isEqualTo(200);
                    String path = new String(joined.body(), StandardCharsets.UTF_8).replaceAll("(?s).*a=path:(\\S+).*", "$1");
                    PythonMsrpPeer.Reply sent = peer.send(path, "message/cpim", cpimBody("<sip:bob@localhost>",
                            "<" + room("square") + ";screen-name=Ann>", "psst"), 2048, "no");
                    PythonMsrpPeer.Reply r;
                    do {
                        r = peer.next(Duration.ofSeconds(10));
                        if (r.isRequest()) {
                            peer.respond(r.get("tid"), 200, "OK");
                        }
                    } while (!(r.kind().equals("response") && sent.tids().contains(r.get("tid"))));
                    assertThat(r.status()).as("CPIM To one member of a public room").isEqualTo(403);
                    assertThat(r.get("comment")).doesNotContain("alice");
                } finally {
                    peer.close();
                }
            }
        } finally {
            strict.close();
        }
    }

    private static SipResponse say(SipTestClient c, String user, String target, String body) throws IOException {
        c.send(TrustedSender.message(c, user, target, body));
        return c.receiveResponse();
    }

    @Test
    @DisplayName("UC 5.7, 5.8, 5.12, GIM-8: a member's session with an XDM group's URI takes part in the group's chat beside "
            + "pager members; non-members are refused; a group's chat has no private messages")
    void sessionWithAnXdmGroup() throws Exception {
        Group crew = new Group("sip:mona.crew@groups.localhost", Optional.of("crew"),
                List.of(new Group.Member("sip:ned@localhost", Optional.empty()),
                        new Group.Member("sip:olga@localhost", Optional.empty())), OptionalInt.of(10),
                Group.Origin.USER, "sip:mona@localhost", Group.Membership.CLOSED, Group.ContentWrite.OWNER,
                Optional.empty());
        HttpResponse<String> put = server.http("PUT", "/xcap-root/org.openmobilealliance.groups/users/sip:mona@localhost/crew",
                new String(XmlWriter.document(GroupXml.write(crew)), StandardCharsets.UTF_8),
                TestServer.basic("mona", "mona-secret"), GroupUsage.MIME_TYPE);
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        String group = "sip:mona.crew@groups.localhost";
        try (PagerMember mona = new PagerMember("mona"); PagerMember ned = new PagerMember("ned");
             Session olga = new Session("olga"); Session pat = new Session("pat")) {
            SipResponse ok = olga.invite(group, null);
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            assertThat(ok.header("Contact")).hasValueSatisfying(c -> assertThat(c).contains("mona.crew@").endsWith(";isfocus"));
            olga.bind();
            assertThat(pat.invite(group, null).status()).as("not a member of the closed group").isEqualTo(403);

            ned.ok(group, "crew meets at noon");
            assertThat(cpimHeaders(olga.until("crew meets at noon"))).contains("From: \"sip:ned@localhost\" <sip:ned@localhost>",
                    "To: <" + group + ">");
            mona.until("crew meets at noon");
            assertThat(olga.say("on my way")).isEqualTo(200);
            for (PagerMember member : List.of(mona, ned)) {
                SipRequest copy = member.until("on my way");
                assertThat(copy.from().uri().toString()).isEqualTo(group);
                assertThat(copy.from().displayName()).isEqualTo("sip:olga@localhost");
            }
            assertThat(olga.cpim("<sip:ned@localhost>", "just you")).as("no private messages in a group").isEqualTo(403);
            assertThat(ned.never("just you")).isTrue();
            assertThat(olga.bye().status()).isEqualTo(200);
        }
    }
}
