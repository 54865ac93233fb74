package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.testpeer.PeerMessage;
import org.parley.msrp.testpeer.SocketLink;
import org.parley.msrp.testpeer.TestPeer;

/**
 * RFC 4976 §6: a relay carries each session's traffic on its own. One session floods the relay
 * with large messages (its receiver reading either not at all or as fast as it can) while another
 * session exchanges ordinary messages: every message of the second session arrives, intact and
 * in order, with its hop-by-hop answers settled. The test peers are the independent ones of the
 * wire tests (JDK sockets, own framing); what is asserted is delivery, not timing.
 */
@DisplayName("RFC 4976 §6: one session cannot starve another on the relay")
class RelayFairnessWireTest {
    private static final int VICTIM_MESSAGES = 200;
    private static TestRelay fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new TestRelay();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** A test peer over TCP that has AUTHed as {@code user}; {@code usePaths} gets the URI the relay granted it. */
    private static TestPeer peer(String name, String user, Map<TestPeer, String> usePaths) throws Exception {
        TestPeer p = new TestPeer(SocketLink.tcp(fixture.port(MsrpTransport.TCP)),
                "msrp://127.0.0.1:2855/" + name + TestPeer.id() + ";tcp");
        PeerMessage ok = p.auth(fixture.uri(MsrpTransport.TCP), user, TestRelay.PASSWORDS.get(user));
        assertThat(ok.status()).as("AUTH of " + name).isEqualTo(200);
        usePaths.put(p, ok.header("Use-Path"));
        return p;
    }

    /** RFC 4976 §6.1: the sender's relay URI, the receiver's, the receiver. */
    private static String toPath(Map<TestPeer, String> usePaths, TestPeer from, TestPeer to) {
        return usePaths.get(from) + " " + usePaths.get(to) + " " + to.uri;
    }

    @ParameterizedTest(name = "flooded receiver reads: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("RFC 4976 §6, §7.3: a session flooding the relay (its receiver stalled, or reading flat out) does not starve another session: all of its messages arrive, in order")
    void floodDoesNotStarveAnotherSession(boolean floodedReceiverReads) throws Exception {
        Map<TestPeer, String> usePaths = new IdentityHashMap<>();
        try (TestPeer flooder = peer("flooder", "alice", usePaths); TestPeer flooded = peer("flooded", "bob", usePaths);
             TestPeer sender = peer("sender", "alice", usePaths); TestPeer receiver = peer("receiver", "bob", usePaths)) {
            String floodPath = toPath(usePaths, flooder, flooded);
            String path = toPath(usePaths, sender, receiver);
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong flooded64k = new AtomicLong();
            Thread flood = Thread.ofVirtual().start(() -> flood(flooder, floodPath, flooding, flooded64k));
            Thread drain = Thread.ofVirtual().start(() -> {
                while (floodedReceiverReads && flooding.get()) {
                    try {
                        flooded.read();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            while (flooded64k.get() < 16) {
                Thread.sleep(10); // the flood is under way (with a stalled receiver, the relay has stopped reading it by now)
            }

            Random random = new Random(4976);
            List<byte[]> sent = new ArrayList<>();
            Thread sending = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < VICTIM_MESSAGES; i++) {
                        byte[] body = new byte[1 + random.nextInt(2048)];
                        random.nextBytes(body);
                        synchronized (sent) {
                            sent.add(body);
                        }
                        sender.send(path, "m" + i + TestPeer.id(), "application/octet-stream", body, 4096, "no");
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < VICTIM_MESSAGES; i++) {
                PeerMessage m = receiver.read(); // 10 s without a message fails the test: a starved session
                assertThat(m.method()).isEqualTo("SEND");
                assertThat(m.header("Message-ID")).startsWith("m" + i);
                byte[] expected;
                synchronized (sent) {
                    expected = sent.get(i);
                }
                assertThat(m.body()).as("message %d", i).isEqualTo(expected);
                receiver.ok(m);
            }
            sending.join(10_000);
            for (int i = 0; i < VICTIM_MESSAGES; i++) {
                assertThat(sender.read().status()).as("the relay's hop-by-hop 200").isEqualTo(200);
            }
            flooding.set(false);
            flooder.close();
            flooded.close();
            flood.join(10_000);
            drain.join(10_000);
            assertThat(flooded64k.get()).as("the flood went on while the other session was carried").isGreaterThan(16);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (fixture.relay.pendingCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(fixture.relay.pendingCount()).as("forwarded SENDs still waiting").isZero();
        }
    }

    /** 64 KiB messages in 8 KiB chunks, no reports either way, until told to stop or the connection goes. */
    private static void flood(TestPeer flooder, String toPath, AtomicBoolean flooding, AtomicLong messages) {
        byte[] chunk = new byte[8192];
        new Random(7).nextBytes(chunk);
        try {
            while (flooding.get()) {
                String messageId = TestPeer.id();
                for (int offset = 0; offset < 65536; offset += chunk.length) {
                    Map<String, String> h = new LinkedHashMap<>();
                    h.put("To-Path", toPath);
                    h.put("From-Path", flooder.uri);
                    h.put("Message-ID", messageId);
                    h.put("Success-Report", "no");
                    h.put("Failure-Report", "no");
                    h.put("Byte-Range", (offset + 1) + "-" + (offset + chunk.length) + "/65536");
                    flooder.raw(TestPeer.request(TestPeer.id(), "SEND", h, "application/octet-stream", chunk,
                            offset + chunk.length < 65536 ? '+' : '$'));
                }
                messages.incrementAndGet();
            }
        } catch (IOException e) {
            // closed at the end of the test
        }
    }
}
