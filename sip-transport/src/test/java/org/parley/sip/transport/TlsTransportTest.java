package org.parley.sip.transport;

import org.parley.testkit.TestCertificate;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

@DisplayName("TLS transport: RFC 3261 §18 and §26.2 (SIP over TLS), RFC 5626 §4.4.1 keep-alives")
class TlsTransportTest {
    private final RecordingHandler handler = new RecordingHandler();
    private NettySipTransport transport;

    @BeforeEach
    void start() throws Exception {
        TestCertificate cert = TestCertificate.get();
        transport = TestSip.start(handler, b -> {
            try {
                b.sslContext(cert.serverContext()).clientSslContext(cert.clientContext());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    @Test
    @DisplayName("a request over TLS arrives on a TLS flow; the response comes back on the connection; ping gets pong")
    void roundTrip() throws Exception {
        try (SSLSocket client = (SSLSocket) TestCertificate.get().jdkClientContext().getSocketFactory()
                .createSocket(TestSip.LOOPBACK, transport.boundPort(Transport.TLS))) {
            client.setSoTimeout(5000);
            client.getOutputStream().write(TestSip.options("TLS", "client.example.com", "", "tls-1")
                    .getBytes(StandardCharsets.UTF_8));
            RecordingHandler.Received r = handler.next();
            assertThat(r.flow().transport()).isEqualTo(Transport.TLS);
            assertThat(r.flow().connectionId()).startsWith("tls-");
            assertThat(r.message().topVia().received()).contains("127.0.0.1");

            transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), r.flow()).get(5, TimeUnit.SECONDS);
            InputStream in = client.getInputStream();
            assertThat(TestSip.readMessage(in)).startsWith("SIP/2.0 200 OK").contains("Call-ID: tls-1");

            client.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readNBytes(2)).isEqualTo("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(handler.nextClosed().transport()).isEqualTo(Transport.TLS);
    }

    @Test
    @DisplayName("send(message, TLS, destination) opens a verified TLS connection to a peer (§18.1.1, §26.2)")
    void opensTlsConnections() throws Exception {
        RecordingHandler peerHandler = new RecordingHandler();
        TestCertificate cert = TestCertificate.get();
        try (NettySipTransport peer = TestSip.start(peerHandler, b -> {
            try {
                b.sslContext(cert.serverContext());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })) {
            SipRequest request = (SipRequest) SipParser.parse(TestSip.options("TLS", "127.0.0.1", "", "tls-2")
                    .getBytes(StandardCharsets.UTF_8));
            Flow out = transport.send(request, Transport.TLS,
                    new InetSocketAddress(TestSip.LOOPBACK, peer.boundPort(Transport.TLS))).get(5, TimeUnit.SECONDS);
            RecordingHandler.Received atPeer = peerHandler.next();
            assertThat(atPeer.message().callId()).isEqualTo("tls-2");

            peer.sendResponse(((SipRequest) atPeer.message()).createResponse(200, "t"), atPeer.flow())
                    .get(5, TimeUnit.SECONDS);
            RecordingHandler.Received back = handler.next();
            assertThat(back.message()).isInstanceOf(SipResponse.class);
            assertThat(back.flow()).isEqualTo(out);
        }
    }
}
