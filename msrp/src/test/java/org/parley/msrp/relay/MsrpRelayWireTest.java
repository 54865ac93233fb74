package org.parley.msrp.relay;

import org.parley.testkit.TestCertificate;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.accounts.gate.AuthGate;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.testpeer.Link;
import org.parley.msrp.testpeer.PeerMessage;
import org.parley.msrp.testpeer.SocketLink;
import org.parley.msrp.testpeer.TestPeer;
import org.parley.msrp.testpeer.WebSocketLink;

/**
 * The relay on the wire (RFC 4976, RFC 7977): independent test peers AUTH with it over TCP, TLS,
 * WS and WSS, exchange chunked and large binary messages through it with success reports, and
 * are refused when unauthenticated or when they name a path the relay never issued.
 */
class MsrpRelayWireTest {
    private static final Map<String, String> PASSWORDS = TestRelay.PASSWORDS;
    private static TestRelay fixture;
    private static MsrpRelay relay;
    private static SSLContext trust;

    @BeforeAll
    static void start() throws Exception {
        fixture = new TestRelay();
        relay = fixture.relay;
        trust = TestCertificate.get().jdkClientContext();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static Link link(MsrpTransport t) throws Exception {
        int port = relay.boundPort(t);
        return switch (t) {
            case TCP -> SocketLink.tcp(port);
            case TLS -> SocketLink.tls(port, trust);
            case WS -> WebSocketLink.connect(URI.create("ws://127.0.0.1:" + port + "/"), null);
            case WSS -> WebSocketLink.connect(URI.create("wss://127.0.0.1:" + port + "/"), trust);
        };
    }

    private static String relayUri(MsrpTransport t) {
        return fixture.uri(t);
    }

    private static TestPeer peer(MsrpTransport t, String name) throws Exception {
        String host = t.webSocket() ? TestPeer.id() + ".invalid" : "127.0.0.1";
        return new TestPeer(link(t), "msrp://" + host + ":2855/" + name + TestPeer.id() + ";" + t.uriTransport());
    }

    /** AUTH and return the Use-Path URI. */
    private static String authenticate(TestPeer p, MsrpTransport t, String user) throws Exception {
        PeerMessage ok = p.auth(relayUri(t), user, PASSWORDS.get(user));
        assertThat(ok.status()).as("AUTH answer").isEqualTo(200);
        assertThat(ok.header("Expires")).isEqualTo("1800");
        return ok.header("Use-Path");
    }

    /**
     * Alice sends {@code body} in chunks to Bob through the relay; every chunk gets the relay's 200
     * (hop by hop), Bob gets the chunks in order with the relay's URIs prepended to From-Path,
     * answers each, and his success report reaches Alice.
     */
    private static void exchange(MsrpTransport aliceOver, MsrpTransport bobOver, byte[] body, int chunk,
                                 String contentType) throws Exception {
        try (TestPeer alice = peer(aliceOver, "alice"); TestPeer bob = peer(bobOver, "bob")) {
            String aliceRelay = authenticate(alice, aliceOver, "alice");
            String bobRelay = authenticate(bob, bobOver, "bob");
            assertThat(aliceRelay).startsWith(aliceOver.secure() ? "msrps://127.0.0.1:" : "msrp://127.0.0.1:")
                    .endsWith(";" + aliceOver.uriTransport());
            String messageId = TestPeer.id();
            List<String> tids = alice.send(aliceRelay + " " + bobRelay + " " + bob.uri, messageId, contentType, body,
                    chunk, "yes");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            PeerMessage last = null;
            for (int i = 0; i < tids.size(); i++) {
                PeerMessage m = bob.read();
                assertThat(m.method()).isEqualTo("SEND");
                assertThat(m.header("To-Path")).isEqualTo(bob.uri);
                assertThat(m.header("From-Path")).isEqualTo(bobRelay + " " + aliceRelay + " " + alice.uri);
                assertThat(m.header("Message-ID")).isEqualTo(messageId);
                assertThat(m.header("Content-Type")).isEqualTo(contentType);
                assertThat(m.flag()).isEqualTo(i == tids.size() - 1 ? '$' : '+');
                got.writeBytes(m.body());
                bob.ok(m);
                last = m;
            }
            assertThat(got.toByteArray()).isEqualTo(body);
            bob.reportSuccess(last, body.length);

            int okCount = 0;
            PeerMessage report = null;
            while (report == null) {
                PeerMessage m = alice.read();
                if (m.isRequest()) {
                    report = m;
                } else {
                    assertThat(m.status()).isEqualTo(200);
                    assertThat(m.tid()).isEqualTo(tids.get(okCount));
                    assertThat(m.header("To-Path")).isEqualTo(alice.uri);
                    assertThat(m.header("From-Path")).isEqualTo(aliceRelay);
                    okCount++;
                }
            }
            assertThat(report.method()).isEqualTo("REPORT");
            assertThat(report.header("Status")).isEqualTo("000 200 OK");
            assertThat(report.header("Message-ID")).isEqualTo(messageId);
            assertThat(report.header("Byte-Range")).isEqualTo("1-" + body.length + "/" + body.length);
            assertThat(report.header("To-Path")).isEqualTo(alice.uri);
            assertThat(report.header("From-Path")).isEqualTo(aliceRelay + " " + bobRelay + " " + bob.uri);
            assertThat(okCount).as("hop-by-hop 200s before the report").isEqualTo(tids.size());
        }
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    @DisplayName("RFC 4976 §5, §7.3 over TCP: AUTH, a chunked text message relayed, success report back (RFC 4975 §7.1.3)")
    void chunkedOverTcp() throws Exception {
        exchange(MsrpTransport.TCP, MsrpTransport.TCP, "Hello Bob, this message comes in pieces.".getBytes(
                StandardCharsets.UTF_8), 7, "text/plain");
    }

    @Test
    @DisplayName("RFC 4976 §5 over TLS: a 300 KB binary body in 32 KiB chunks, intact, with a success report")
    void largeBinaryOverTls() throws Exception {
        exchange(MsrpTransport.TLS, MsrpTransport.TLS, random(300_000), 32 * 1024, "application/octet-stream");
    }

    @Test
    @DisplayName("RFC 7977 over WS and WSS: a browser-style client and a TLS client exchange a chunked binary message")
    void webSocket() throws Exception {
        exchange(MsrpTransport.WSS, MsrpTransport.TLS, random(70_000), 16 * 1024, "image/png");
        exchange(MsrpTransport.WS, MsrpTransport.WSS, "héllo über WebSocket".getBytes(StandardCharsets.UTF_8), 5,
                "text/plain;charset=UTF-8");
    }

    @Test
    @DisplayName("RFC 4976 §5: AUTH without credentials gets 401 with a Digest challenge; wrong ones get 403")
    void authChallengeAndRefusal() throws Exception {
        try (TestPeer eve = peer(MsrpTransport.TLS, "eve")) {
            PeerMessage refused = eve.auth(relayUri(MsrpTransport.TLS), "alice", "not-her-password");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(fixture.attempts).anySatisfy(a -> {
                assertThat(a.identity()).isEqualTo("alice");
                assertThat(a.success()).isFalse();
                assertThat(a.door()).isEqualTo("msrp-relay");
                assertThat(a.transport()).isEqualTo("TLS");
            });
            Map<String, String> h = new LinkedHashMap<>();
            h.put("To-Path", relayUri(MsrpTransport.TLS));
            h.put("From-Path", eve.uri);
            eve.raw(TestPeer.request(TestPeer.id(), "AUTH", h, null, null, '$'));
            PeerMessage challenge = eve.read();
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.all("WWW-Authenticate")).first().asString()
                    .startsWith("Digest realm=\"localhost\"").contains("qop=\"auth\"");
            assertThat(challenge.header("To-Path")).isEqualTo(eve.uri);
        }
    }

    @Test
    @DisplayName("RFC 4976 §5: an Expires outside the relay's bounds gets 423 with Min-Expires or Max-Expires")
    void expiresBounds() throws Exception {
        try (TestPeer p = peer(MsrpTransport.TCP, "p")) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("To-Path", relayUri(MsrpTransport.TCP));
            h.put("From-Path", p.uri);
            h.put("Expires", "5");
            p.raw(TestPeer.request(TestPeer.id(), "AUTH", h, null, null, '$'));
            PeerMessage tooShort = p.read();
            assertThat(tooShort.status()).isEqualTo(423);
            assertThat(tooShort.header("Min-Expires")).isEqualTo("60");
            h.put("Expires", "999999");
            p.raw(TestPeer.request(TestPeer.id(), "AUTH", h, null, null, '$'));
            assertThat(p.read().header("Max-Expires")).isEqualTo("7200");
        }
    }

    @ParameterizedTest
    @EnumSource(MsrpTransport.class)
    @DisplayName("RFC 4976 §6: a SEND from a connection that has not authenticated is refused with 403")
    void unauthenticatedRefused(MsrpTransport t) throws Exception {
        try (TestPeer bob = peer(t, "bob"); TestPeer stranger = peer(t, "stranger")) {
            String bobRelay = authenticate(bob, t, "bob");
            stranger.send(bobRelay + " " + bob.uri, TestPeer.id(), "text/plain", "spam".getBytes(StandardCharsets.UTF_8),
                    100, "no");
            PeerMessage answer = stranger.read();
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.header("To-Path")).isEqualTo(stranger.uri);
        }
    }

    @ParameterizedTest
    @EnumSource(MsrpTransport.class)
    @DisplayName("RFC 4976 §6: a path this relay never issued, or a next hop that is not one of its users, is refused with 403")
    void foreignPathRefused(MsrpTransport t) throws Exception {
        try (TestPeer alice = peer(t, "alice"); TestPeer bob = peer(t, "bob")) {
            String aliceRelay = authenticate(alice, t, "alice");
            authenticate(bob, t, "bob");
            String forged = relayUri(t).replace(";", "/forged" + TestPeer.id() + ";");
            alice.send(forged + " " + bob.uri, TestPeer.id(), "text/plain", "x".getBytes(StandardCharsets.UTF_8), 10,
                    "no");
            assertThat(alice.read().status()).isEqualTo(403);
            // Her own URI, then a host of her choosing: the relay is not an open relay.
            alice.send(aliceRelay + " msrp://192.0.2.1:2855/x;tcp", TestPeer.id(), "text/plain",
                    "x".getBytes(StandardCharsets.UTF_8), 10, "no");
            assertThat(alice.read().status()).isEqualTo(403);
            // Her URI under the other scheme compares unequal (RFC 4975 §6.1) and is foreign too.
            String otherScheme = aliceRelay.startsWith("msrps://") ? aliceRelay.replace("msrps://", "msrp://")
                    : aliceRelay.replace("msrp://", "msrps://");
            alice.send(otherScheme + " " + bob.uri, TestPeer.id(), "text/plain",
                    "x".getBytes(StandardCharsets.UTF_8), 10, "no");
            assertThat(alice.read().status()).isEqualTo(403);
        }
    }

    @Test
    @DisplayName("RFC 4975 §7.2, §10: malformed requests get 400, unknown methods 501, and the connection stays usable")
    void malformedOnTheWire() throws Exception {
        try (TestPeer p = peer(MsrpTransport.TCP, "p")) {
            p.raw("MSRP abcd1234 SEND\r\nTo-Path: " + relayUri(MsrpTransport.TCP) + "\r\nFrom-Path: " + p.uri
                    + "\r\nMessage-ID: m1\r\nByte-Range: 9-1/3\r\nContent-Type: text/plain\r\n\r\nabc\r\n-------abcd1234$\r\n");
            PeerMessage bad = p.read();
            assertThat(bad.tid()).isEqualTo("abcd1234");
            assertThat(bad.status()).isEqualTo(400);
            p.raw("MSRP efgh5678 NICKNAME\r\nTo-Path: " + relayUri(MsrpTransport.TCP) + "\r\nFrom-Path: " + p.uri
                    + "\r\n-------efgh5678$\r\n");
            assertThat(p.read().status()).isEqualTo(501);
            assertThat(authenticate(p, MsrpTransport.TCP, "alice")).isNotNull();
        }
    }

    @Test
    @DisplayName("RFC 4976 §7.3, RFC 4975 §7.1.2: a failure response from the next hop reaches the sender as a failure REPORT")
    void failureResponseBecomesReport() throws Exception {
        try (TestPeer alice = peer(MsrpTransport.TCP, "alice"); TestPeer bob = peer(MsrpTransport.TCP, "bob")) {
            String aliceRelay = authenticate(alice, MsrpTransport.TCP, "alice");
            String bobRelay = authenticate(bob, MsrpTransport.TCP, "bob");
            String messageId = TestPeer.id();
            alice.send(aliceRelay + " " + bobRelay + " " + bob.uri, messageId, "video/mp4",
                    "not for me".getBytes(StandardCharsets.UTF_8), 100, "no");
            PeerMessage chunk = bob.read();
            bob.raw("MSRP " + chunk.tid() + " 415 MIME-not-understood\r\nTo-Path: " + chunk.header("From-Path").split(" ")[0]
                    + "\r\nFrom-Path: " + bob.uri + "\r\n-------" + chunk.tid() + "$\r\n");
            assertThat(alice.read().status()).as("the relay's hop-by-hop 200").isEqualTo(200);
            PeerMessage report = alice.read();
            assertThat(report.method()).isEqualTo("REPORT");
            assertThat(report.header("Status")).isEqualTo("000 415 MIME-not-understood");
            assertThat(report.header("Message-ID")).isEqualTo(messageId);
            assertThat(report.header("To-Path")).isEqualTo(alice.uri);
        }
    }

    @Test
    @DisplayName("RFC 4975 §7.3 (413): a chunk over the relay's limit is refused and the connection stays usable (RFC 4976 §5.1: AUTH again refreshes the same URI)")
    void oversizedChunkRefused() throws Exception {
        try (TestPeer alice = peer(MsrpTransport.TLS, "alice")) {
            String aliceRelay = authenticate(alice, MsrpTransport.TLS, "alice");
            List<String> tids = alice.send(aliceRelay + " " + alice.uri, TestPeer.id(), "text/plain",
                    random(70_000), 70_000, "no");
            PeerMessage refused = alice.read();
            assertThat(refused.tid()).isEqualTo(tids.getFirst());
            assertThat(refused.status()).isEqualTo(413);
            assertThat(authenticate(alice, MsrpTransport.TLS, "alice")).as("a refresh over the same connection")
                    .isEqualTo(aliceRelay);
        }
    }

    @Test
    @DisplayName("RFC 4976 §7.3: a receiver that reads slowly slows the sender down; 4 MB arrive intact and in order")
    void slowReceiver() throws Exception {
        try (TestPeer alice = peer(MsrpTransport.TCP, "alice"); TestPeer bob = peer(MsrpTransport.TCP, "bob")) {
            String aliceRelay = authenticate(alice, MsrpTransport.TCP, "alice");
            String bobRelay = authenticate(bob, MsrpTransport.TCP, "bob");
            byte[] body = random(4_000_000);
            CompletableFuture<List<String>> sending = CompletableFuture.supplyAsync(() -> {
                try {
                    return alice.send(aliceRelay + " " + bobRelay + " " + bob.uri, TestPeer.id(),
                            "application/octet-stream", body, 60_000, "no");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread.sleep(1000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            PeerMessage m;
            do {
                m = bob.read();
                got.writeBytes(m.body());
            } while (m.flag() != '$');
            assertThat(got.toByteArray()).isEqualTo(body);
            assertThat(sending.get(10, TimeUnit.SECONDS)).hasSize(67);
        }
    }

    @Test
    @DisplayName("RFC 7977 §4.1: a WebSocket handshake that does not offer the msrp subprotocol is refused")
    void webSocketWithoutSubprotocolRefused() {
        CompletableFuture<WebSocket> ws = HttpClient.newHttpClient()
                .newWebSocketBuilder().subprotocols("sip").buildAsync(URI.create("ws://127.0.0.1:"
                        + relay.boundPort(MsrpTransport.WS) + "/"), new WebSocket.Listener() { });
        assertThat(ws).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("RFC 4975 §9: a stream that is not MSRP is closed without an answer")
    void garbageClosed() throws Exception {
        try (TestPeer p = peer(MsrpTransport.TCP, "p")) {
            p.raw("GET / HTTP/1.1\r\nHost: relay\r\n\r\n");
            assertThat(p.closedByPeer()).isTrue();
        }
    }

    @Test
    @DisplayName("RFC 4976 §5, GS-4: AUTH passes the one gate — a source guessing a password is refused, right password or not, while another address still authenticates")
    void guessingIsRefusedPerSource() throws Exception {
        int port = relay.boundPort(MsrpTransport.TCP);
        String target = relayUri(MsrpTransport.TCP);
        try (TestPeer mallory = new TestPeer(SocketLink.tcpFrom("127.0.0.3", port), "msrp://127.0.0.3:2855/m" + TestPeer.id() + ";tcp")) {
            for (int i = 0; i < 3; i++) {
                assertThat(mallory.auth(target, "bob", "guess-" + i).status()).isEqualTo(403);
            }
            PeerMessage blocked = mallory.auth(target, "bob", PASSWORDS.get("bob"));
            assertThat(blocked.status()).isEqualTo(403);
            assertThat(fixture.attempts).anySatisfy(a -> {
                assertThat(a.identity()).isEqualTo("bob");
                assertThat(a.source()).isEqualTo("127.0.0.3");
                assertThat(a.reason()).isEqualTo(AuthGate.BLOCKED);
            });
        }
        try (TestPeer bob = new TestPeer(SocketLink.tcpFrom("127.0.0.2", port), "msrp://127.0.0.2:2855/b" + TestPeer.id() + ";tcp")) {
            assertThat(bob.auth(target, "bob", PASSWORDS.get("bob")).status()).isEqualTo(200);
        }
    }
}
