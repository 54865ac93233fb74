package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.server.TestServer;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Issue 9 §6 reproducers over the wire against a whole server: header grammar faults that were
 * 500s, invalid UTF-8 that was dropped (UDP) or closed a client's connection (TCP), and the RFC
 * 5118 §4.10 address that was accepted.
 */
@DisplayName("Malformed input gets its 400 on every transport (issue 9 §6)")
class HostileInputWireTest {
    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("alice", "alice-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] request(String method, String uri, String via, String callId, byte[] extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + uri + " SIP/2.0\r\n"
                + "Via: " + via + ";rport;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:alice@localhost>\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(extra);
        out.writeBytes("Content-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String sentBy(SipTestClient client) {
        return "SIP/2.0/" + client.transport() + " " + client.localAddress() + ":" + client.localPort();
    }

    private static byte[] from(String line) {
        return ("From: " + line + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code From: "Jos\xe9" <sip:bob@example.net>}: Latin-1, not UTF-8. */
    private static byte[] latin1From(String tag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("From: \"Jos".getBytes(StandardCharsets.US_ASCII));
        out.write(0xe9);
        out.writeBytes(("\" <sip:bob@example.net>;tag=" + tag + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {"Require|,", "Proxy-Require|a,,b", "Privacy|,", "Accept|,", "Supported|,",
        "Allow|INVITE,,ACK", "Unsupported|,", "Content-Encoding|,", "Allow-Events|,", "Accept-Language|en,,de",
        "Accept-Encoding|,", "Event|,", "Subscription-State|,", "Content-Type|,", "Content-Disposition|,",
        "Min-Expires|,", "Session-Expires|,", "P-Asserted-Identity|,", "P-Preferred-Identity|,", "Referred-By|,",
        "Refer-To|,", "Reply-To|,", "Priority|,", "SIP-If-Match|,", "Expires|,", "Contact|,", "Route|,", "Path|,",
        "Record-Route|<sip:a;lr>,,<sip:b;lr>"})
    @DisplayName("issue 9 §6: an empty list element is a 400 naming the header (was 500), for MESSAGE, SUBSCRIBE, OPTIONS")
    void emptyListElements(String header, String value) throws IOException {
        try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            for (String method : new String[] {"MESSAGE", "SUBSCRIBE", "OPTIONS", "REGISTER"}) {
                String uri = method.equals("OPTIONS") || method.equals("REGISTER") ? "sip:localhost" : "sip:alice@localhost";
                String callId = "empty-" + method + "-" + header.hashCode();
                byte[] extra = (new String(from("<sip:alice@localhost>;tag=1"), StandardCharsets.UTF_8)
                        + header + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
                udp.sendBytes(request(method, uri, sentBy(udp), callId, extra));
                SipResponse r = udp.receiveResponse();
                assertThat(r.status()).as(method + " with " + header).isEqualTo(400);
                assertThat(r.reason()).contains(header);
            }
        }
    }

    @Test
    @DisplayName("issue 9 §6: invalid UTF-8 in From over UDP is answered 400 (was dropped)")
    void invalidUtf8OverUdp() throws IOException {
        try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            udp.sendBytes(request("MESSAGE", "sip:alice@localhost", sentBy(udp), "utf8-udp", latin1From("u1")));
            SipResponse r = udp.receiveResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.reason()).isEqualTo("invalid UTF-8 in the From header");
        }
    }

    @Test
    @DisplayName("issue 9 §6: invalid UTF-8 over TCP is answered 400 and the connection stays up for the next request")
    void invalidUtf8OverTcpKeepsTheConnection() throws IOException {
        try (SipTestClient tcp = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            tcp.sendBytes(request("MESSAGE", "sip:alice@localhost", sentBy(tcp), "utf8-tcp", latin1From("t1")));
            assertThat(tcp.receiveResponse().status()).isEqualTo(400);
            tcp.sendBytes(request("OPTIONS", "sip:localhost", sentBy(tcp), "utf8-tcp-next",
                    from("<sip:bob@example.net>;tag=t2")));
            assertThat(tcp.receiveResponse().status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("issue 9 §6: invalid UTF-8 in a WebSocket message is answered 400 and the WebSocket stays open")
    void invalidUtf8OverWebSocket() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            WebSocket ws = http.newWebSocketBuilder().subprotocols("sip").buildAsync(
                    URI.create("ws://127.0.0.1:" + server.sipPort(Transport.WS) + "/"), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                received.add(partial.toString());
                                partial.setLength(0);
                            }
                            socket.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            String via = "SIP/2.0/WS hk3z9f.invalid";
            ws.sendBinary(ByteBuffer.wrap(request("MESSAGE", "sip:alice@localhost", via, "utf8-ws", latin1From("w1"))), true)
                    .get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).startsWith("SIP/2.0 400 invalid UTF-8 in the From header");
            ws.sendBinary(ByteBuffer.wrap(request("OPTIONS", "sip:localhost", via, "utf8-ws-next",
                    from("<sip:bob@example.net>;tag=w2"))), true).get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).startsWith("SIP/2.0 200");
            ws.abort();
        } finally {
            http.shutdownNow();
        }
    }

    @Test
    @DisplayName("RFC 5118 §4.10: 2001:db8:::192.0.2.1 is refused with 400; 2001:db8::192.0.2.1 is accepted")
    void rfc5118ThreeColons() throws IOException {
        try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            udp.sendBytes(request("OPTIONS", "sip:user@[2001:db8:::192.0.2.1]", sentBy(udp), "v6-bad",
                    from("<sip:bob@example.net>;tag=v1")));
            SipResponse bad = udp.receiveResponse();
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.reason()).contains("IPv6");
            udp.sendBytes(request("OPTIONS", "sip:user@[2001:db8::192.0.2.1]", sentBy(udp), "v6-good",
                    from("<sip:bob@example.net>;tag=v2")));
            assertThat(udp.receiveResponse().status()).isNotEqualTo(400).isLessThan(500);
        }
    }
}
