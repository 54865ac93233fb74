package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.testkit.Rfc4475;

/**
 * The RFC 4475 torture messages sent over real sockets: what must parse reaches the handler,
 * a malformed request is answered with the status the parser gives (400, or 505 for the
 * version), a malformed response is discarded in silence (RFC 4475 §3.1.2.5, §3.1.2.19).
 */
@DisplayName("RFC 4475 torture messages over UDP and TCP (RFC 4475 §3, RFC 3261 §18.3)")
class Rfc4475TransportTest {
    private static final RecordingHandler handler = new RecordingHandler();
    private static NettySipTransport transport;

    @BeforeAll
    static void start() {
        transport = TestSip.start(handler, b -> { });
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    @BeforeEach
    void forgetEarlierTests() {
        handler.messages.clear();
    }

    static Stream<Arguments> cases() {
        return Rfc4475.names().stream()
                .flatMap(name -> Stream.of(Arguments.of(name, Transport.UDP), Arguments.of(name, Transport.TCP)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("cases")
    void behavesAsRfc4475Says(String name, Transport t) throws Exception {
        byte[] bytes = Rfc4475.message(name);
        int expected = Rfc4475.EXPECTED.get(name);
        boolean response = new String(bytes, 0, 4, StandardCharsets.US_ASCII).equals("SIP/");
        try (Peer peer = t == Transport.UDP ? new UdpPeer() : new TcpPeer()) {
            if (t == Transport.TCP && name.equals("clerr")) {
                // RFC 4475 §3.1.2.2: on a stream a Content-Length beyond the bytes sent means the
                // rest is still to come, so the server waits; it must neither answer nor deliver.
                peer.send(bytes);
                handler.assertNothingDelivered();
                peer.assertNothingReceived();
                return;
            }
            peer.send(bytes);
            if (expected == 0) {
                RecordingHandler.Received r = handler.next();
                assertThat(r.message().callId()).isNotEmpty();
                assertThat(r.message() instanceof SipResponse).isEqualTo(response);
                if (name.equals("dblreq")) {
                    assertDoubleRequest(t, r);
                }
            } else if (response) {
                handler.assertNothingDelivered();
                peer.assertNothingReceived();
            } else {
                // Only the status line is checked: the answer echoes the request's faulty header lines.
                String statusLine = new String(peer.receive(), StandardCharsets.UTF_8).split("\r\n", 2)[0];
                assertThat(statusLine).startsWith("SIP/2.0 " + expected + " ");
                assertThat(statusLine.substring(12)).isNotBlank();
                handler.assertNothingDelivered();
            }
        }
        assertServerStillServes(t);
    }

    /**
     * RFC 4475 §3.1.1.8: in one datagram the INVITE after the REGISTER is trailing junk and is
     * ignored. On a stream there are no datagram bounds: it is simply the next message, and it
     * is delivered too.
     */
    private static void assertDoubleRequest(Transport t, RecordingHandler.Received first) throws Exception {
        assertThat(((SipRequest) first.message()).method()).isEqualTo("REGISTER");
        if (t == Transport.UDP) {
            handler.assertNothingDelivered();
        } else {
            SipRequest second = (SipRequest) handler.next().message();
            assertThat(second.method()).isEqualTo("INVITE");
            assertThat(second.body()).hasSize(150);
        }
    }

    /** No torture message may leave the transport broken for whoever comes next. */
    private static void assertServerStillServes(Transport t) throws Exception {
        handler.messages.clear();
        try (Peer peer = t == Transport.UDP ? new UdpPeer() : new TcpPeer()) {
            peer.send(TestSip.options(t.name(), "127.0.0.1", "", "after").getBytes(StandardCharsets.UTF_8));
            assertThat(handler.next().message().callId()).isEqualTo("after");
        }
    }

    private interface Peer extends AutoCloseable {
        void send(byte[] bytes) throws IOException;

        byte[] receive() throws IOException;

        void assertNothingReceived() throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class UdpPeer implements Peer {
        private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(TestSip.LOOPBACK, 0));

        UdpPeer() throws IOException {
            socket.setSoTimeout(5000);
        }

        @Override
        public void send(byte[] bytes) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length,
                    new InetSocketAddress(TestSip.LOOPBACK, transport.boundPort(Transport.UDP))));
        }

        @Override
        public byte[] receive() throws IOException {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            socket.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }

        @Override
        public void assertNothingReceived() throws IOException {
            socket.setSoTimeout(300);
            assertThatThrownBy(this::receive).isInstanceOf(SocketTimeoutException.class);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class TcpPeer implements Peer {
        private final Socket socket = new Socket(TestSip.LOOPBACK, transport.boundPort(Transport.TCP));
        private final InputStream in = socket.getInputStream();

        TcpPeer() throws IOException {
            socket.setSoTimeout(5000);
        }

        @Override
        public void send(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
        }

        @Override
        public byte[] receive() throws IOException {
            return TestSip.readMessage(in).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void assertNothingReceived() throws IOException {
            socket.setSoTimeout(300);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
