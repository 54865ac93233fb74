package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.msrp.MsrpTransport;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.parley.testkit.msrp.PythonMsrpPeer;

/**
 * Deferred delivery in session form (MU-3, OMA SIMPLE IM deferred messaging) and large message
 * mode (PP-6, PP-7, PP-9, GIM-6) over the wire: SIP from a test client, MSRP from the independent
 * Python peer to Parley's own MSRP endpoint (RFC 4975), delivery as pager-mode MESSAGEs on
 * registration (UC 5.13), byte for byte.
 */
@DisplayName("MU-3, PP-6, PP-7, PP-9, GIM-6, RFC 4975: deferred sessions and large message mode")
class DeferredDeliveryWireTest {
    private static final String ACTIVE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>active</state></isComposing>\n";
    static TestServer server;
    static Path certificate;

    @BeforeAll
    static void start(@TempDir Path dataDir) {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of("msrp.endpoint.tcp.port", "0",
                "msrp.tcp.port", "0"));
        certificate = dataDir.resolve("tls/parley-cert.pem");
        for (String u : List.of("alice", "bob", "carol", "dave", "erin", "fred", "gina")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int sipPort() {
        return server.sipPort(Transport.UDP);
    }

    /** The offerer's own MSRP URI: it connects (RFC 4975 §5.4), so the port is never listened on. */
    private static String ownUri() {
        return "msrp://127.0.0.1:9/" + Long.toHexString(new Random().nextLong()) + ";tcp";
    }

    private static String answeredPath(SipResponse ok) {
        Matcher m = Pattern.compile("a=path:(\\S+)").matcher(new String(ok.body(), StandardCharsets.UTF_8));
        assertThat(m.find()).as("the answer has a path").isTrue();
        return m.group(1);
    }

    private static PythonMsrpPeer peer(String uri) throws IOException {
        PythonMsrpPeer peer = PythonMsrpPeer.start();
        peer.command("connect", Map.of("transport", "tcp", "host", "127.0.0.1",
                "port", Integer.toString(server.server().msrpEndpointPort(MsrpTransport.TCP)), "uri", uri));
        return peer;
    }

    /** Sends one message and returns the status of its last chunk's response. */
    private static int send(PythonMsrpPeer peer, String toPath, String contentType, byte[] body, int chunk) {
        PythonMsrpPeer.Reply sent = peer.send(toPath, contentType, body, chunk, "no");
        List<String> tids = sent.tids();
        int last = -1;
        for (int answered = 0; answered < tids.size(); ) {
            PythonMsrpPeer.Reply r = peer.next(Duration.ofSeconds(10));
            assertThat(r.kind()).as("a response to every chunk").isEqualTo("response");
            if (tids.contains(r.get("tid"))) {
                answered++;
                last = r.status();
                if (last != 200) {
                    return last;
                }
            }
        }
        return last;
    }

    private static SipTestClient registered(String user) throws IOException {
        SipTestClient device = SipTestClient.tcp(server.sipPort(Transport.TCP));
        Registration reg = new Registration(device, user);
        assertThat(reg.register(user + "-secret", reg.contact(user), "600", "").status()).isEqualTo(200);
        return device;
    }

    private static SipRequest nextMessage(SipTestClient device) throws IOException {
        SipRequest m = device.receiveRequest();
        device.send(m.createResponse(200, "OK"));
        return m;
    }

    @Test
    @DisplayName("MU-3, PP-7, GIM-6: to a user offline Parley answers (200, Warning: deferred); text, binary, multipart "
            + "and CPIM are stored and arrive on registration in order, byte for byte; is-typing is dropped")
    void deferredThenDeliveredInOrder() throws IOException {
        String mine = ownUri();
        byte[] binary = new byte[40_000];
        new Random(7).nextBytes(binary);
        byte[] multipart = ("--b1\r\nContent-Type: text/plain\r\n\r\nsee the picture\r\n--b1\r\n"
                + "Content-Type: image/png\r\nContent-Transfer-Encoding: binary\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] png = new byte[3000];
        new Random(11).nextBytes(png);
        byte[] closing = "\r\n--b1--\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] mixed = new byte[multipart.length + png.length + closing.length];
        System.arraycopy(multipart, 0, mixed, 0, multipart.length);
        System.arraycopy(png, 0, mixed, multipart.length, png.length);
        System.arraycopy(closing, 0, mixed, multipart.length + png.length, closing.length);
        byte[] cpim = ("From: <sip:alice@localhost>\r\nTo: <sip:bob@localhost>\r\nDateTime: 2026-12-06T16:00:00Z\r\n\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n\r\nGrüße in CPIM").getBytes(StandardCharsets.UTF_8);

        try (SipTestClient alice = SipTestClient.udp(sipPort())) {
            SipResponse ok = new MsrpInvite(alice, "alice", "alice-secret").send("sip:bob@localhost",
                    MsrpInvite.offer(mine, "sendrecv").getBytes(StandardCharsets.UTF_8), "");
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            assertThat(ok.header("Warning")).hasValueSatisfying(w -> assertThat(w).startsWith("399 localhost \"")
                    .contains("deferred delivery"));
            String answer = new String(ok.body(), StandardCharsets.UTF_8);
            assertThat(ok.contentType()).hasValue("application/sdp");
            assertThat(answer).contains("m=message ", " TCP/MSRP *", "a=recvonly", "a=setup:passive", "a=accept-types:*");
            String parley = answeredPath(ok);
            assertThat(parley).startsWith("msrp://127.0.0.1:" + server.server().msrpEndpointPort(MsrpTransport.TCP) + "/");

            try (PythonMsrpPeer peer = peer(mine)) {
                assertThat(send(peer, parley, "text/plain;charset=UTF-8", "first, while you were out"
                        .getBytes(StandardCharsets.UTF_8), 2048)).isEqualTo(200);
                assertThat(send(peer, parley, "application/im-iscomposing+xml", ACTIVE.getBytes(StandardCharsets.UTF_8),
                        2048)).as("is-typing is answered, not stored").isEqualTo(200);
                assertThat(send(peer, parley, "application/octet-stream", binary, 16_384)).isEqualTo(200);
                assertThat(send(peer, parley, "multipart/mixed;boundary=b1", mixed, 1000)).isEqualTo(200);
                assertThat(send(peer, parley, "message/cpim", cpim, 2048)).isEqualTo(200);
            }
            assertThat(new MsrpInvite(alice, "alice", "alice-secret").bye(ok, "sip:bob@localhost").status()).isEqualTo(200);
        }

        try (SipTestClient bob = registered("bob")) {
            assertThat(new String(nextMessage(bob).body(), StandardCharsets.UTF_8))
                    .as("is-typing was not stored").contains("You have 4 messages waiting.");
            List<SipRequest> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(nextMessage(bob));
            }
            assertThat(got).allSatisfy(m -> {
                assertThat(m.from().uri().toString()).isEqualTo("sip:alice@localhost");
                assertThat(m.header("P-Asserted-Identity")).hasValue("<sip:alice@localhost>");
            });
            assertThat(new String(got.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("first, while you were out");
            assertThat(got.get(1).contentType()).hasValue("application/octet-stream");
            assertThat(got.get(1).body()).isEqualTo(binary);
            assertThat(got.get(2).contentType()).hasValue("multipart/mixed;boundary=b1");
            assertThat(got.get(2).body()).isEqualTo(mixed);
            assertThat(got.get(3).contentType()).hasValue("message/cpim");
            assertThat(got.get(3).body()).isEqualTo(cpim);
            assertThat(bob.silentFor(500)).isTrue();
        }
    }

    @Test
    @DisplayName("MU-3, RFC 4975 §6: over TCP/TLS/MSRP the answer names the endpoint's TLS listener (msrps), "
            + "which takes the message with the server certificate")
    void deferredOverTls() throws IOException {
        String mine = "msrps://127.0.0.1:9/" + Long.toHexString(new Random().nextLong()) + ";tcp";
        try (SipTestClient alice = SipTestClient.udp(sipPort())) {
            String offer = MsrpInvite.offer(mine, "sendrecv").replace(" TCP/MSRP ", " TCP/TLS/MSRP ");
            SipResponse ok = new MsrpInvite(alice, "alice", "alice-secret").send("sip:gina@localhost",
                    offer.getBytes(StandardCharsets.UTF_8), "");
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            assertThat(new String(ok.body(), StandardCharsets.UTF_8)).contains(" TCP/TLS/MSRP *");
            int tls = server.server().msrpEndpointPort(MsrpTransport.TLS);
            String parley = answeredPath(ok);
            assertThat(parley).startsWith("msrps://127.0.0.1:" + tls + "/").endsWith(";tcp");
            try (PythonMsrpPeer peer = PythonMsrpPeer.start()) {
                peer.command("connect", Map.of("transport", "tls", "host", "127.0.0.1", "port", Integer.toString(tls),
                        "cafile", certificate.toString(), "uri", mine));
                assertThat(send(peer, parley, "text/plain", "secret".getBytes(StandardCharsets.UTF_8), 2048))
                        .isEqualTo(200);
            }
        }
        try (SipTestClient gina = registered("gina")) {
            nextMessage(gina);
            assertThat(new String(nextMessage(gina).body(), StandardCharsets.UTF_8)).isEqualTo("secret");
        }
    }

    @Test
    @DisplayName("PP-37, PP-44, RFC 3994 §6: in session mode an is-composing indication passes the relay untouched")
    void isTypingThroughTheRelay() throws IOException {
        int port = server.server().msrpPort(MsrpTransport.TCP);
        String relay = "msrp://127.0.0.1:" + port + ";tcp";
        try (PythonMsrpPeer alice = PythonMsrpPeer.start(); PythonMsrpPeer bob = PythonMsrpPeer.start()) {
            alice.connect("tcp", port, null);
            bob.connect("tcp", port, null);
            PythonMsrpPeer.Reply mine = alice.auth(relay, "alice", "alice-secret");
            assertThat(mine.status()).isEqualTo(200);
            PythonMsrpPeer.Reply granted = bob.auth(relay, "bob", "bob-secret");
            assertThat(granted.status()).isEqualTo(200);
            // RFC 4976 §6.1: the sender's relay URI, the receiver's, the receiver
            alice.send(mine.get("use-path") + " " + granted.get("use-path") + " " + bob.uri(), "application/im-iscomposing+xml",
                    ACTIVE.getBytes(StandardCharsets.UTF_8), 2048, "no");
            PythonMsrpPeer.Reply got = bob.receive();
            assertThat(got.get("content-type")).isEqualTo("application/im-iscomposing+xml");
            assertThat(got.text()).isEqualTo(ACTIVE);
        }
    }

    @Test
    @DisplayName("PP-6, PP-9, OMA large message mode: a one-shot session (feature tag, a=sendonly) to a user online "
            + "is forked to the device with its offer intact; the device being busy (486), Parley defers it (MU-3)")
    void largeMessageModeToUserOnline() throws IOException {
        try (SipTestClient carol = registered("carol"); SipTestClient alice = SipTestClient.udp(sipPort())) {
            String offer = MsrpInvite.offer(ownUri(), "sendonly");
            SipTestClient.Reply device = carol.answerNext(486);
            SipResponse r = new MsrpInvite(alice, "alice", "alice-secret").send("sip:carol@localhost",
                    offer.getBytes(StandardCharsets.UTF_8), "Accept-Contact: *;+g.oma.sip-im.large-message\n");
            SipRequest invite = device.request();
            assertThat(invite.method()).isEqualTo("INVITE");
            assertThat(new String(invite.body(), StandardCharsets.UTF_8)).isEqualTo(offer);
            assertThat(invite.header("Accept-Contact")).hasValue("*;+g.oma.sip-im.large-message");
            assertThat(r.status()).as("every device busy: deferred").isEqualTo(200);
            assertThat(r.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("(486 ", "deferred delivery"));
        }
    }

    @Test
    @DisplayName("PP-6, MU-3: large message mode to a user offline is deferred: 200 KB stored and delivered intact")
    void largeMessageModeToUserOffline() throws IOException {
        String mine = ownUri();
        byte[] large = new byte[60_000];
        new Random(3).nextBytes(large);
        try (SipTestClient alice = SipTestClient.udp(sipPort())) {
            SipResponse ok = new MsrpInvite(alice, "alice", "alice-secret").send("sip:dave@localhost",
                    MsrpInvite.offer(mine, "sendonly").getBytes(StandardCharsets.UTF_8),
                    "Accept-Contact: *;+g.oma.sip-im.large-message\n");
            assertThat(ok.status()).isEqualTo(200);
            try (PythonMsrpPeer peer = peer(mine)) {
                assertThat(send(peer, answeredPath(ok), "video/mp4", large, 8192)).isEqualTo(200);
            }
        }
        try (SipTestClient dave = registered("dave")) {
            nextMessage(dave);
            SipRequest m = nextMessage(dave);
            assertThat(m.contentType()).hasValue("video/mp4");
            assertThat(m.body()).isEqualTo(large);
        }
    }

    @Test
    @DisplayName("MU-3, RFC 4975 §7.2: a full offline store answers the chunk 413; nothing past the quota is kept")
    void quotaFull() throws Exception {
        server.messagingControls("erin", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],"
                + "\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true,\"limits\":{\"maxBodyBytes\":1300,"
                + "\"messagesPerMinute\":60,\"messagesPerDay\":0,\"bytesPerDay\":0,\"allowedContentTypes\":[],"
                + "\"offlineMaxMessages\":2,\"offlineMaxBytes\":100000}}");
        String mine = ownUri();
        try (SipTestClient alice = SipTestClient.udp(sipPort())) {
            SipResponse ok = new MsrpInvite(alice, "alice", "alice-secret").send("sip:erin@localhost",
                    MsrpInvite.offer(mine, "sendrecv").getBytes(StandardCharsets.UTF_8), "");
            assertThat(ok.status()).isEqualTo(200);
            try (PythonMsrpPeer peer = peer(mine)) {
                String parley = answeredPath(ok);
                assertThat(send(peer, parley, "text/plain", "one".getBytes(StandardCharsets.UTF_8), 2048)).isEqualTo(200);
                assertThat(send(peer, parley, "text/plain", "two".getBytes(StandardCharsets.UTF_8), 2048)).isEqualTo(200);
                assertThat(send(peer, parley, "text/plain", "three".getBytes(StandardCharsets.UTF_8), 2048)).isEqualTo(413);
            }
        }
        assertThat(new org.parley.messaging.store.JdbiOfflineStore(server.server().context().database())
                .usage("sip:erin@localhost").messages()).isEqualTo(2);
    }

    @Test
    @DisplayName("UC 5.6, GU-4: do not disturb refuses the session (480), unauthenticated is 407, bad SDP 400/488, "
            + "a SEND outside the session 481")
    void refusals() throws Exception {
        server.messagingControls("fred", "{\"deliveryEnabled\":true,\"doNotDisturb\":true,\"blockedSenders\":[],"
                + "\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
        try (SipTestClient alice = SipTestClient.udp(sipPort())) {
            MsrpInvite invite = new MsrpInvite(alice, "alice", "alice-secret");
            SipResponse dnd = invite.send("sip:fred@localhost",
                    MsrpInvite.offer(ownUri(), "sendrecv").getBytes(StandardCharsets.UTF_8), "");
            assertThat(dnd.status()).isEqualTo(480);
            assertThat(dnd.reason()).contains("do not disturb");
            SipResponse stranger = new MsrpInvite(alice, "alice", "wrong").send("sip:bob@localhost",
                    MsrpInvite.offer(ownUri(), "sendrecv").getBytes(StandardCharsets.UTF_8), "");
            assertThat(stranger.status()).isIn(403, 407);
            SipResponse notSdp = invite.send("sip:bob@localhost", "m=message 9 TCP/MSRP *\r\nv=0\r\n"
                    .getBytes(StandardCharsets.UTF_8), "");
            assertThat(notSdp.status()).isEqualTo(400);
            SipResponse noPath = invite.send("sip:bob@localhost", MsrpInvite.offer(ownUri(), "sendrecv")
                    .replaceAll("a=path:.*\r\n", "").getBytes(StandardCharsets.UTF_8), "");
            assertThat(noPath.status()).isEqualTo(488);
            assertThat(noPath.reason()).contains("path");
            SipResponse receiveOnly = invite.send("sip:bob@localhost",
                    MsrpInvite.offer(ownUri(), "recvonly").getBytes(StandardCharsets.UTF_8), "");
            assertThat(receiveOnly.status()).isEqualTo(488);
        }
        String someone = ownUri();
        try (PythonMsrpPeer peer = peer(someone)) {
            String unknown = "msrp://127.0.0.1:" + server.server().msrpEndpointPort(MsrpTransport.TCP) + "/n0such;tcp";
            assertThat(send(peer, unknown, "text/plain", "hello?".getBytes(StandardCharsets.UTF_8), 2048))
                    .isEqualTo(481);
        }
    }
}
