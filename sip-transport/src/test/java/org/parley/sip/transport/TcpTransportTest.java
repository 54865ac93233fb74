package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

@DisplayName("TCP transport: RFC 3261 §18.3 framing, §18.2.2 responses, RFC 5626 §4.4.1 keep-alives and §5.3 flows")
class TcpTransportTest {
    private final RecordingHandler handler = new RecordingHandler();
    private NettySipTransport transport;
    private Socket client;
    private OutputStream out;
    private InputStream in;

    @BeforeEach
    void start() throws Exception {
        transport = TestSip.start(handler, b -> b.maxMessageBytes(2000));
        client = new Socket(TestSip.LOOPBACK, transport.boundPort(Transport.TCP));
        client.setSoTimeout(5000);
        out = client.getOutputStream();
        in = client.getInputStream();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        transport.close();
    }

    private void write(String s) throws Exception {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    @DisplayName("a request arrives on a connection flow; the response goes back on it (§18.2.2)")
    void requestAndResponseOnOneConnection() throws Exception {
        write(TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-1"));
        RecordingHandler.Received r = handler.next();
        assertThat(r.flow().transport()).isEqualTo(Transport.TCP);
        assertThat(r.flow().remote()).isEqualTo(client.getLocalSocketAddress());
        assertThat(r.flow().local().getPort()).isEqualTo(transport.boundPort(Transport.TCP));
        assertThat(r.flow().connectionId()).startsWith("tcp-");
        assertThat(r.message().topVia().received()).isEmpty();
        assertThat(transport.isOpen(r.flow())).isTrue();

        transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), r.flow()).get(5, TimeUnit.SECONDS);
        assertThat(TestSip.readMessage(in)).startsWith("SIP/2.0 200 OK").contains("Call-ID: tcp-1");
    }

    @Test
    @DisplayName("a message written one byte at a time is framed whole (§18.3)")
    void byteByByte() throws Exception {
        for (byte b : TestSip.message("TCP", "tcp-2", "hello, one byte at a time").getBytes(StandardCharsets.UTF_8)) {
            out.write(b);
            out.flush();
        }
        SipMessage m = handler.next().message();
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("hello, one byte at a time");
    }

    @Test
    @DisplayName("two messages in one write are two messages; a missing Content-Length on a stream means no body (§18.3)")
    void coalesced() throws Exception {
        write(TestSip.message("TCP", "tcp-3a", "first") + TestSip.message("TCP", "tcp-3b", "second")
                + TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-3c").replace("Content-Length: 0\r\n", ""));
        assertThat(new String(handler.next().message().body(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(new String(handler.next().message().body(), StandardCharsets.UTF_8)).isEqualTo("second");
        assertThat(handler.next().message().callId()).isEqualTo("tcp-3c");
    }

    @Test
    @DisplayName("a double-CRLF ping is answered with a CRLF pong (RFC 5626 §4.4.1)")
    void pingPong() throws Exception {
        write("\r\n\r\n");
        assertThat(in.readNBytes(2)).isEqualTo("\r\n".getBytes(StandardCharsets.US_ASCII));
        write(TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-4"));
        assertThat(handler.next().message().callId()).isEqualTo("tcp-4");
    }

    @Test
    @DisplayName("a message over the size limit is answered 513 and the connection closed (§18.3, §21.5.14)")
    void oversizedGets513AndClose() throws Exception {
        write(TestSip.message("TCP", "tcp-5", "x".repeat(3000)));
        assertThat(TestSip.readMessage(in)).startsWith("SIP/2.0 513 Message Too Large\r\n").contains("Call-ID: tcp-5");
        assertThat(in.read()).isEqualTo(-1);
        handler.assertNothingDelivered();
        assertThat(handler.nextClosed().transport()).isEqualTo(Transport.TCP);
    }

    @Test
    @DisplayName("a header section over the size limit, never ended, is answered 513 and closed")
    void endlessHeaderGets513() throws Exception {
        write(TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-6").replace("Content-Length: 0\r\n\r\n", "")
                + ("X-Padding: " + "y".repeat(100) + "\r\n").repeat(30));
        assertThat(TestSip.readMessage(in)).startsWith("SIP/2.0 513 Message Too Large\r\n");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    @DisplayName("a malformed request is answered 400 with the parser's reason, the connection stays usable (RFC 4475 §3.1.2)")
    void malformedRequestGets400() throws Exception {
        write(TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-7").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"));
        assertThat(TestSip.readMessage(in)).startsWith("SIP/2.0 400 CSeq method does not match the request method\r\n");
        write(TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-8"));
        assertThat(handler.next().message().callId()).isEqualTo("tcp-8");
    }

    @Test
    @DisplayName("a malformed response is discarded: nothing delivered, nothing sent (RFC 4475 §3.1.2.19)")
    void malformedResponseIsDropped() throws Exception {
        write("SIP/2.0 4294967301 better not break the receiver\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-x\r\n"
                + "Call-ID: tcp-9\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nContent-Length: 0\r\n\r\n");
        handler.assertNothingDelivered();
        client.setSoTimeout(300);
        assertThatThrownBy(in::read).isInstanceOf(java.net.SocketTimeoutException.class);
    }

    @Test
    @DisplayName("when the connection closes its flow is reported closed and send() on it fails (RFC 5626 §5.3)")
    void closedFlowFails() throws Exception {
        write(TestSip.options("TCP", "127.0.0.1:5999", "", "tcp-10"));
        RecordingHandler.Received r = handler.next();
        client.close();
        assertThat(handler.nextClosed()).isEqualTo(r.flow());
        assertThat(transport.isOpen(r.flow())).isFalse();
        assertThatThrownBy(() -> transport.send(r.message(), r.flow()).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(FlowFailedException.class);
    }

    @Test
    @DisplayName("send(message, TCP, destination) opens a connection, then reuses it; responses on it come back up (§18.1.1)")
    void opensAndReusesConnections() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, TestSip.LOOPBACK)) {
            SipRequest request = (SipRequest) SipParser.parse(TestSip.options("TCP", "127.0.0.1:1", "", "tcp-11")
                    .getBytes(StandardCharsets.UTF_8));
            InetSocketAddress destination = new InetSocketAddress(TestSip.LOOPBACK, peer.getLocalPort());
            Flow first = transport.send(request, Transport.TCP, destination).get(5, TimeUnit.SECONDS);
            Flow second = transport.send(request, Transport.TCP, destination).get(5, TimeUnit.SECONDS);
            assertThat(first.connectionId()).startsWith("tcp-");
            assertThat(second).isEqualTo(first);
            try (Socket accepted = peer.accept()) {
                accepted.setSoTimeout(5000);
                InputStream peerIn = accepted.getInputStream();
                assertThat(TestSip.readMessage(peerIn)).startsWith("OPTIONS ");
                assertThat(TestSip.readMessage(peerIn)).startsWith("OPTIONS ");
                SipResponse ok = request.createResponse(200, "t");
                accepted.getOutputStream().write(ok.encode());
                RecordingHandler.Received r = handler.next();
                assertThat(r.message()).isInstanceOf(SipResponse.class);
                assertThat(r.flow()).isEqualTo(first);
            }
        }
    }
}
