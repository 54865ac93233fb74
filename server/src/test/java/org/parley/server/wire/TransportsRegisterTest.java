package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Registration over every transport (C1; GS-5 TLS for client traffic; RFC 7118 SIP over
 * WebSocket with the "sip" subprotocol; RFC 5626: a request to the device goes over the
 * connection it registered on), with the self-signed certificate generated on first start.
 */
@DisplayName("C1, GS-5, RFC 7118, RFC 5626: REGISTER over TLS, WS and WSS; requests come back on the same connection")
class TransportsRegisterTest {
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        server = TestServer.start(dataDir, new SystemScheduler(), Map.of());
        server.addUser("heidi", "heidi-secret", null, List.of());
        server.addUser("ivan", "ivan-secret1", null, List.of());
        // the requests' sender: relayed only once authenticated (issue 9 §3), on the connection it registered on
        server.addUser("x", "x-secret", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @DisplayName("TLS: REGISTER with digest, then a request reaches the device over its TLS connection")
    void overTls() throws Exception {
        SSLContext ctx = TrustedCertificate.context(server.dataDir());
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.sipPort(Transport.TLS));
        socket.startHandshake();
        try (SipTestClient device = SipTestClient.over(socket, "TLS");
             SipTestClient sender = TrustedSender.open(server, "x", "x-secret")) {
            Registration reg = new Registration(device, "heidi");
            assertThat(reg.register("heidi-secret", reg.contact("heidi"), "600", "").status()).isEqualTo(200);
            sender.send("OPTIONS sip:heidi@localhost SIP/2.0\nVia: " + sender.via() + "\nFrom: <sip:x@localhost>;tag=1\n"
                    + "To: <sip:heidi@localhost>\nCall-ID: " + UUID.randomUUID() + "\nCSeq: 1 OPTIONS\nMax-Forwards: 70\n"
                    + "Content-Type: text/plain\nContent-Length: 5\n\nhello");
            SipRequest m = device.receiveRequest();
            assertThat(m.topVia().transport()).isEqualTo("TLS");
            device.send(m.createResponse(200, "t"));
            assertThat(sender.receiveResponse().status()).isEqualTo(200);
            assertThat(reg.answer("heidi", "heidi-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("WS and WSS: the sip subprotocol, REGISTER with digest, a request back over the WebSocket")
    void overWebSockets() throws Exception {
        for (Transport t : List.of(Transport.WS, Transport.WSS)) {
            HttpClient http = t == Transport.WSS
                    ? HttpClient.newBuilder().sslContext(TrustedCertificate.context(server.dataDir())).build()
                    : HttpClient.newHttpClient();
            Frames frames = new Frames();
            String scheme = t == Transport.WSS ? "wss" : "ws";
            WebSocket ws = http.newWebSocketBuilder().subprotocols("sip")
                    .buildAsync(URI.create(scheme + "://127.0.0.1:" + server.sipPort(t) + "/"), frames).get(5, TimeUnit.SECONDS);
            assertThat(ws.getSubprotocol()).isEqualTo("sip");
            String callId = UUID.randomUUID().toString();
            String contact = "<sip:ivan@df7jal23ls0d.invalid;transport=ws>";
            ws.sendText(register(t, callId, 1, contact, null), true).get(5, TimeUnit.SECONDS);
            SipResponse challenge = (SipResponse) frames.next();
            assertThat(challenge.status()).isEqualTo(401);
            Digest d = Digest.parse(challenge.headers().lines("WWW-Authenticate").get(0));
            ws.sendText(register(t, callId, 2, contact, d.authorization("REGISTER", "sip:localhost", "ivan", "ivan-secret1", 1)), true)
                    .get(5, TimeUnit.SECONDS);
            SipResponse ok = (SipResponse) frames.next();
            assertThat(ok.status()).as(t + " " + ok.startLine()).isEqualTo(200);

            try (SipTestClient sender = TrustedSender.open(server, "x", "x-secret")) {
                sender.send("OPTIONS sip:ivan@localhost SIP/2.0\nVia: " + sender.via() + "\nFrom: <sip:x@localhost>;tag=1\n"
                        + "To: <sip:ivan@localhost>\nCall-ID: " + UUID.randomUUID() + "\nCSeq: 1 OPTIONS\nMax-Forwards: 70\n"
                        + "Content-Type: text/plain\nContent-Length: 2\n\nhi");
                SipRequest m = (SipRequest) frames.next();
                assertThat(m.topVia().transport()).isEqualTo(t.name());
                ws.sendText(new String(m.createResponse(200, "w").encode(), java.nio.charset.StandardCharsets.UTF_8), true);
                assertThat(sender.receiveResponse().status()).isEqualTo(200);
            }
            ws.sendText(register(t, callId, 3, "*", d.authorization("REGISTER", "sip:localhost", "ivan", "ivan-secret1", 2))
                    .replace("Expires: 600", "Expires: 0"), true).get(5, TimeUnit.SECONDS);
            assertThat(((SipResponse) frames.next()).status()).isEqualTo(200);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    private static String register(Transport t, String callId, int cseq, String contact, String authorization) {
        return ("REGISTER sip:localhost SIP/2.0\r\nVia: SIP/2.0/" + t + " df7jal23ls0d.invalid;branch=z9hG4bK" + UUID.randomUUID()
                + "\r\nFrom: <sip:ivan@localhost>;tag=ws1\r\nTo: <sip:ivan@localhost>\r\nCall-ID: " + callId
                + "\r\nCSeq: " + cseq + " REGISTER\r\nContact: " + contact + "\r\nExpires: 600\r\nMax-Forwards: 70\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n");
    }

    /** Collects whole text frames as SIP messages. */
    private static final class Frames implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }

        org.parley.sip.message.SipMessage next() throws InterruptedException {
            String s = queue.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a SIP message over the WebSocket within 5 s").isNotNull();
            return SipParser.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
