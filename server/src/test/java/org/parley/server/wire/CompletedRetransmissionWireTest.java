package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * A retransmitted request over UDP meets the completed transaction Timer J keeps off the heap
 * (RFC 3261 §17.2.2): within 64·T1 it gets the final response again, octet for octet, without the
 * registrar seeing it; after Timer J it is a new request. A digest challenge is the exception: it is
 * sent as a stateless UAS sends it (§8.2.7), nothing is kept of it, and a retransmission of the
 * challenged request is challenged anew, with the same To tag. The server runs on a manual clock.
 */
@DisplayName("RFC 3261 §17.2.2, §17.2.3, §8.2.7 over the wire: a retransmitted REGISTER gets the same 200 until Timer J, then is a new request; a challenge keeps nothing")
class CompletedRetransmissionWireTest {
    static ManualScheduler clock;
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of());
        server.addUser("erin", "erin-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Requests of {@code method} passed to the transaction user: each new server transaction counts one. */
    static double started(String method) {
        Counter c = server.server().context().meterRegistry().find("parley.sip.transactions")
                .tags("side", "server", "method", method).counter();
        return c == null ? 0 : c.count();
    }

    static double registersStarted() {
        return started("REGISTER");
    }

    static String register(int port, String branch, int cseq, String authorization) {
        return ("REGISTER sip:localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch + ";rport\r\n"
                + "From: <sip:erin@localhost>;tag=retx-1\r\n"
                + "To: <sip:erin@localhost>\r\n"
                + "Call-ID: retransmitted-register@127.0.0.1\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:erin@127.0.0.1:" + port + ">\r\n"
                + "Expires: 600\r\n"
                + "Max-Forwards: 70\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n");
    }

    static byte[] exchange(DatagramSocket socket, String request) throws IOException {
        byte[] out = request.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(out, out.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.sipPort(Transport.UDP))));
        byte[] buf = new byte[65535];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        return Arrays.copyOf(buf, in.getLength());
    }

    @Test
    @DisplayName("§17.2.2: 20 s after its 200 a retransmission gets the same octets and no new transaction; 33 s after, a new one. §8.2.7: the 401's retransmission is challenged anew")
    void sameAnswerUntilTimerJ() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5000);
            int port = socket.getLocalPort();
            String first = register(port, "z9hG4bK-retx-1", 1, null);
            SipResponse r401 = (SipResponse) SipParser.parse(exchange(socket, first));
            assertThat(r401.status()).isEqualTo(401);
            Digest digest = Digest.parse(r401.headers().lines("WWW-Authenticate").get(0));
            String second = register(port, "z9hG4bK-retx-2", 2,
                    digest.authorization("REGISTER", "sip:localhost", "erin", "erin-secret", 1));
            byte[] ok = exchange(socket, second);
            assertThat(((SipResponse) SipParser.parse(ok)).status()).isEqualTo(200);
            double started = registersStarted();

            clock.advance(Duration.ofSeconds(20));
            assertThat(exchange(socket, second)).as("the 200 again, octet for octet (the same To tag)").isEqualTo(ok);
            assertThat(registersStarted()).as("the 200's retransmission did not reach the registrar").isEqualTo(started);

            SipResponse again401 = (SipResponse) SipParser.parse(exchange(socket, first));
            assertThat(again401.status()).isEqualTo(401);
            assertThat(registersStarted()).as("§8.2.7: nothing was kept of the 401, its retransmission is a new request")
                    .isEqualTo(started + 1);
            assertThat(again401.to().tag()).as("§8.2.7: the same To tag for the same request").isEqualTo(r401.to().tag());
            assertThat(again401.headers().lines("WWW-Authenticate")).as("a challenge made afresh: a new nonce")
                    .isNotEqualTo(r401.headers().lines("WWW-Authenticate"));

            clock.advance(Duration.ofSeconds(13)); // 33 s: Timer J (64·T1 = 32 s) has fired
            byte[] afresh = exchange(socket, second);
            assertThat(registersStarted()).as("a new transaction, passed to the registrar").isEqualTo(started + 2);
            SipResponse again = (SipResponse) SipParser.parse(afresh);
            // its nonce-count was used: the registrar challenges it afresh (RFC 7616 §3.3)
            assertThat(again.status()).isEqualTo(401);
            assertThat(afresh).isNotEqualTo(ok);
        }
    }

    @Test
    @DisplayName("§8.2.7: a MESSAGE's 407 is sent statelessly too: its retransmission is a new request, challenged anew with the same To tag")
    void messageChallengeKeepsNothing() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5000);
            int port = socket.getLocalPort();
            String message = "MESSAGE sip:erin@localhost SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-retx-msg;rport\r\n"
                    + "From: <sip:erin@localhost>;tag=retx-msg\r\n"
                    + "To: <sip:erin@localhost>\r\n"
                    + "Call-ID: retransmitted-message@127.0.0.1\r\n"
                    + "CSeq: 1 MESSAGE\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Content-Type: text/plain\r\n"
                    + "Content-Length: 2\r\n\r\nhi";
            double started = started("MESSAGE");
            SipResponse first = (SipResponse) SipParser.parse(exchange(socket, message));
            SipResponse second = (SipResponse) SipParser.parse(exchange(socket, message));
            assertThat(List.of(first.status(), second.status())).containsExactly(407, 407);
            assertThat(started("MESSAGE")).as("each reached the pager as a new request").isEqualTo(started + 2);
            assertThat(second.to().tag()).as("the same To tag for the same request").isEqualTo(first.to().tag());
            assertThat(second.headers().lines("Proxy-Authenticate")).as("a new nonce")
                    .isNotEqualTo(first.headers().lines("Proxy-Authenticate"));
        }
    }

    @Test
    @DisplayName("§8.2.7, §26.1.5: a flood of unauthenticated REGISTERs, each challenged, leaves no server transaction behind")
    void challengedFloodLeavesNoTransactionState() throws IOException, InterruptedException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5000);
            int port = socket.getLocalPort();
            double before = activeServerTransactions();
            for (int i = 0; i < 200; i++) {
                SipResponse r = (SipResponse) SipParser.parse(exchange(socket, register(port, "z9hG4bK-flood-" + i, 1, null)));
                assertThat(r.status()).as("challenge %d", i).isEqualTo(401);
            }
            // the last removal follows its 401 on the server's thread: allow it a moment, on the real clock
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (activeServerTransactions() > before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(activeServerTransactions()).as("no Timer J entry, no live transaction for any of the 200")
                    .isEqualTo(before);
        }
    }

    static double activeServerTransactions() {
        return server.server().context().meterRegistry().get("parley.sip.transactions.active")
                .tag("side", "server").gauge().value();
    }
}
