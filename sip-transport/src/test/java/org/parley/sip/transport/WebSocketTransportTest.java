package org.parley.sip.transport;

import org.parley.testkit.TestCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;

@DisplayName("WebSocket transport: RFC 7118 §4.1 (subprotocol sip), §5 (one message per frame), §5.2 (responses)")
class WebSocketTransportTest {
    private final RecordingHandler handler = new RecordingHandler();
    private final List<HttpClient> clients = new ArrayList<>();
    private NettySipTransport transport;

    @BeforeEach
    void start() throws Exception {
        TestCertificate cert = TestCertificate.get();
        transport = TestSip.start(handler, b -> {
            try {
                b.sslContext(cert.serverContext());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() {
        // close() would wait for every WebSocket of the client to end; these tests are done with them.
        clients.forEach(HttpClient::shutdownNow);
        transport.close();
    }

    /** Collects text messages; java.net.http may hand one over in parts. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    private HttpClient client(Transport t) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (t == Transport.WSS) {
            b.sslContext(TestCertificate.get().jdkClientContext());
        }
        HttpClient http = b.build();
        clients.add(http);
        return http;
    }

    private URI uri(Transport t) {
        return URI.create((t == Transport.WSS ? "wss" : "ws") + "://127.0.0.1:" + transport.boundPort(t) + "/");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WS", "WSS"})
    @DisplayName("a request in a frame arrives on a WebSocket flow; the response comes back in a frame; close is reported")
    void roundTrip(Transport t) throws Exception {
        Collector collector = new Collector();
        HttpClient http = client(t);
        WebSocket ws = http.newWebSocketBuilder().subprotocols("sip").buildAsync(uri(t), collector)
                .get(5, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("sip");
        // RFC 7118 §5: the Via sent-by of a WebSocket client is a made-up name, so received is always added.
        ws.sendText(TestSip.message(t.name(), "ws-1", "hi").replace("127.0.0.1:5999", "df7jal23ls0d.invalid"), true);
        RecordingHandler.Received r = handler.next();
        assertThat(r.flow().transport()).isEqualTo(t);
        assertThat(r.flow().connectionId()).startsWith(t.name().toLowerCase() + "-");
        assertThat(r.message().topVia().received()).contains("127.0.0.1");
        assertThat(new String(r.message().body(), StandardCharsets.UTF_8)).isEqualTo("hi");

        transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), r.flow()).get(5, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(5, TimeUnit.SECONDS)).startsWith("SIP/2.0 200 OK").contains("Call-ID: ws-1");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(handler.nextClosed()).isEqualTo(r.flow());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WS", "WSS"})
    @DisplayName("a handshake without the sip subprotocol is refused (RFC 7118 §4.1)")
    void handshakeWithoutSipIsRefused(Transport t) throws Exception {
        HttpClient http = client(t);
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(uri(t), new Collector()).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThatThrownBy(() -> http.newWebSocketBuilder().subprotocols("xmpp")
                .buildAsync(uri(t), new Collector()).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WS", "WSS"})
    @DisplayName("a malformed request in a frame is answered 400 in a frame; Content-Length must fit the frame (RFC 7118 §5)")
    void malformedFrame(Transport t) throws Exception {
        Collector collector = new Collector();
        HttpClient http = client(t);
        WebSocket ws = http.newWebSocketBuilder().subprotocols("sip").buildAsync(uri(t), collector)
                .get(5, TimeUnit.SECONDS);
        ws.sendText(TestSip.message(t.name(), "ws-2", "hi").replace("Content-Length: 2", "Content-Length: 20"), true);
        assertThat(collector.messages.poll(5, TimeUnit.SECONDS))
                .startsWith("SIP/2.0 400 Content-Length larger than the message\r\n");
        handler.assertNothingDelivered();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WS", "WSS"})
    @DisplayName("the server cannot open a WebSocket connection: send to an address without one fails (RFC 7118 §5)")
    void cannotOpenWebSockets(Transport t) throws Exception {
        SipRequest request = (SipRequest) SipParser.parse(TestSip.options(t.name(), "127.0.0.1", "", "ws-3")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> transport.send(request, t, new InetSocketAddress(TestSip.LOOPBACK, 9))
                .get(5, TimeUnit.SECONDS)).hasMessageContaining("WebSocket connections are opened by clients");
    }
}
