package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.testpeer.Link;
import org.parley.msrp.testpeer.PeerMessage;
import org.parley.msrp.testpeer.SocketLink;
import org.parley.msrp.testpeer.TestPeer;
import org.parley.msrp.testpeer.WebSocketLink;
import org.parley.testkit.TestCertificate;

/**
 * The relay brings the two connections of a session onto one event loop (RFC 4976 §6: each
 * session carried on its own, here without its chunks crossing between threads), and moving a
 * connection loses, reorders and corrupts nothing: the independent test peers exchange chunked
 * messages both ways — SENDs answered hop by hop, success REPORTs back — over every transport
 * while their connections are moved, then a third connection joins one of them.
 */
@DisplayName("RFC 4976 §6, §7.3: a session's two connections end on one event loop, and nothing is lost or reordered on the way")
class RelayLoopAffinityWireTest {
    private static final int CHUNK = 4096;
    private static TestRelay fixture;
    private static SSLContext trust;

    @BeforeAll
    static void start() throws Exception {
        fixture = new TestRelay();
        trust = TestCertificate.get().jdkClientContext();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static TestPeer peer(MsrpTransport t, String name) throws Exception {
        int port = fixture.port(t);
        Link link = switch (t) {
            case TCP -> SocketLink.tcp(port);
            case TLS -> SocketLink.tls(port, trust);
            case WS -> WebSocketLink.connect(URI.create("ws://127.0.0.1:" + port + "/"), null);
            case WSS -> WebSocketLink.connect(URI.create("wss://127.0.0.1:" + port + "/"), trust);
        };
        String host = t.webSocket() ? TestPeer.id() + ".invalid" : "127.0.0.1";
        return new TestPeer(link, "msrp://" + host + ":2855/" + name + TestPeer.id() + ";" + t.uriTransport());
    }

    private static String authenticate(TestPeer p, MsrpTransport t, String user) throws Exception {
        PeerMessage ok = p.auth(fixture.uri(t), user, TestRelay.PASSWORDS.get(user));
        assertThat(ok.status()).as("AUTH answer").isEqualTo(200);
        return ok.header("Use-Path");
    }

    private static Channel connection(String usePath) {
        return fixture.relay.connectionOf(MsrpUri.parse(usePath).orElseThrow()).orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MsrpTransport.class)
    @DisplayName("RFC 4976 §6: after the first forwarded chunk both connections are on one event loop; messages both ways arrive whole and in order")
    void sessionOnOneLoop(MsrpTransport t) throws Exception {
        Random random = new Random(4976);
        try (TestPeer alice = peer(t, "alice"); TestPeer bob = peer(t, "bob"); TestPeer carol = peer(t, "carol")) {
            String aliceRelay = authenticate(alice, t, "alice");
            String bobRelay = authenticate(bob, t, "bob");
            String carolRelay = authenticate(carol, t, "alice");

            for (int i = 0; i < 6; i++) {
                byte[] body = new byte[CHUNK * 5 + i];
                random.nextBytes(body);
                boolean fromAlice = i % 2 == 0;
                TestPeer from = fromAlice ? alice : bob;
                TestPeer to = fromAlice ? bob : alice;
                String path = fromAlice ? aliceRelay + " " + bobRelay + " " + bob.uri
                        : bobRelay + " " + aliceRelay + " " + alice.uri;
                transfer(from, to, path, "m" + i + "x" + TestPeer.id(), body);
            }
            assertThat(connection(aliceRelay).eventLoop()).as("alice's and bob's connections share one loop")
                    .isSameAs(connection(bobRelay).eventLoop());

            // bob's connection is paired already: the newcomer's connection is the one that moves
            byte[] body = new byte[CHUNK * 3];
            random.nextBytes(body);
            transfer(carol, bob, carolRelay + " " + bobRelay + " " + bob.uri, "c" + TestPeer.id(), body);
            assertThat(connection(carolRelay).eventLoop()).as("carol's connection joined bob's loop")
                    .isSameAs(connection(bobRelay).eventLoop());
            assertThat(connection(aliceRelay).eventLoop()).as("alice's connection was not moved again")
                    .isSameAs(connection(bobRelay).eventLoop());
            assertThat(fixture.relay.pendingCount()).as("no SEND left waiting for an answer").isZero();
        }
    }

    @Test
    @DisplayName("RFC 4976 §6: sessions that start at once are spread over the event loops, not gathered on the one their senders came in on")
    void sessionsSpreadOverLoops() throws Exception {
        int sessions = 8;
        List<TestPeer> peers = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * sessions; i++) {
                // accepted alternately: with two loops, every sender on one and every receiver on the other
                TestPeer p = peer(MsrpTransport.TCP, "p" + i);
                peers.add(p);
                paths.add(authenticate(p, MsrpTransport.TCP, i % 2 == 0 ? "alice" : "bob"));
            }
            // the relay's loops held while every session's first chunks arrive: their pairings are then
            // decided one right after the other, before any of the moves has run
            CountDownLatch held = new CountDownLatch(1);
            Set<EventLoop> loops = new HashSet<>();
            for (String path : paths) {
                loops.add(connection(path).eventLoop());
            }
            for (EventLoop loop : loops) {
                loop.execute(() -> {
                    try {
                        held.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            byte[] body = new byte[CHUNK * 2];
            try {
                for (int i = 0; i < sessions; i++) {
                    TestPeer receiver = peers.get(2 * i + 1);
                    peers.get(2 * i).send(paths.get(2 * i) + " " + paths.get(2 * i + 1) + " " + receiver.uri, "s"
                            + i + "x" + TestPeer.id(), "application/octet-stream", body, CHUNK, "no");
                }
            } finally {
                held.countDown(); // whatever happened, the loops go on (the relay must close after the test)
            }
            for (int i = 0; i < sessions; i++) {
                for (int chunk = 0; chunk < 2; chunk++) {
                    assertThat(peers.get(2 * i + 1).read().method()).isEqualTo("SEND");
                }
            }
            Map<EventLoop, Integer> perLoop = new HashMap<>();
            for (int i = 0; i < sessions; i++) {
                EventLoop loop = connection(paths.get(2 * i)).eventLoop();
                assertThat(connection(paths.get(2 * i + 1)).eventLoop()).as("session %d on one loop", i).isSameAs(loop);
                perLoop.merge(loop, 1, Integer::sum);
            }
            assertThat(perLoop.values()).as("sessions per loop, over %d loops", loops.size()).allSatisfy(n ->
                    assertThat(n).isLessThanOrEqualTo(sessions / loops.size() + 1));
        } finally {
            for (TestPeer p : peers) {
                p.close();
            }
        }
    }

    /**
     * One message in chunks with success reports: each chunk answered 200 by the relay (hop by hop)
     * and by the receiver, the chunks received in order and intact, the success REPORT back at the sender.
     */
    private static void transfer(TestPeer from, TestPeer to, String path, String messageId, byte[] body)
            throws Exception {
        List<String> tids = from.send(path, messageId, "application/octet-stream", body, CHUNK, "yes");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        PeerMessage last = null;
        for (int i = 0; i < tids.size(); i++) {
            PeerMessage m = to.read();
            assertThat(m.method()).isEqualTo("SEND");
            assertThat(m.header("Message-ID")).isEqualTo(messageId);
            assertThat(m.header("Byte-Range")).as("chunk %d in order", i)
                    .startsWith((i * CHUNK + 1) + "-");
            got.writeBytes(m.body());
            to.ok(m);
            last = m;
        }
        to.reportSuccess(last, body.length);
        assertThat(got.toByteArray()).as("the message intact").isEqualTo(body);
        for (String tid : tids) {
            PeerMessage ok = from.read();
            assertThat(ok.status()).as("hop-by-hop answer").isEqualTo(200);
            assertThat(ok.tid()).isEqualTo(tid);
        }
        PeerMessage report = from.read();
        assertThat(report.method()).isEqualTo("REPORT");
        assertThat(report.header("Message-ID")).isEqualTo(messageId);
        assertThat(report.header("Status")).isEqualTo("000 200 OK");
    }
}
