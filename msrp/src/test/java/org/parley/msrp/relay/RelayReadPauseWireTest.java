package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.testpeer.PeerMessage;
import org.parley.msrp.testpeer.SocketLink;
import org.parley.msrp.testpeer.TestPeer;

/**
 * RFC 4976 §7.3 and §6: a receiver that stops reading holds back its own sender and no one else,
 * the relay keeps only a bounded amount of that sender's traffic meanwhile, and once the receiver
 * reads again everything arrives, intact and in order, and the relay holds nothing any more — no
 * paused connection, no bytes queued for a next hop. The test peers are the independent ones of
 * the wire tests (JDK sockets, own framing).
 */
@DisplayName("RFC 4976 §6, §7.3: a slow reader stalls only its own sender, and the relay gives the memory back")
class RelayReadPauseWireTest {
    private static final int MESSAGES = 96;
    private static final int SIZE = 65536;
    private static final int CHUNK = 8192;
    /**
     * What the relay may hold for a stalled receiver: its connection's high-water mark (64 KiB),
     * what one read queues before it is written (256 KiB), the rest of that read and the batches
     * in another loop's queue (256 KiB), with room to spare.
     */
    private static final long BOUND = 1024 * 1024;
    private static TestRelay fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new TestRelay();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static TestPeer peer(String name, String user, Map<TestPeer, String> usePaths) throws Exception {
        TestPeer p = new TestPeer(SocketLink.tcp(fixture.port(MsrpTransport.TCP)),
                "msrp://127.0.0.1:2855/" + name + TestPeer.id() + ";tcp");
        PeerMessage ok = p.auth(fixture.uri(MsrpTransport.TCP), user, TestRelay.PASSWORDS.get(user));
        assertThat(ok.status()).as("AUTH of " + name).isEqualTo(200);
        usePaths.put(p, ok.header("Use-Path"));
        return p;
    }

    @Test
    @DisplayName("RFC 4976 §7.3: the stalled receiver's sender is paused alone, the relay holds a bounded amount for it, and when it reads again all arrives in order and nothing stays held")
    void slowReaderStallsOnlyItsSender() throws Exception {
        Map<TestPeer, String> paths = new LinkedHashMap<>();
        byte[] body = new byte[SIZE];
        new Random(4976).nextBytes(body);
        try (TestPeer sender = peer("sender", "alice", paths); TestPeer stalled = peer("stalled", "bob", paths);
             TestPeer other = peer("other", "alice", paths); TestPeer reader = peer("reader", "bob", paths)) {
            String toStalled = paths.get(sender) + " " + paths.get(stalled) + " " + stalled.uri;
            AtomicInteger sent = new AtomicInteger();
            Thread flood = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        sendWhole(sender, toStalled, "m" + i + "x" + TestPeer.id(), body);
                        sent.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            // A sender is also held for a moment while its batches wait for the receiver's event loop;
            // the stall this test is about is the one that lasts: paused, and the flood no longer moving.
            awaitStall(sent);
            long held = fixture.relay.bufferedBytes();
            assertThat(held).as("bytes held for the stalled receiver").isLessThan(BOUND);

            // another session of the same users goes on while the first one is held back
            String toReader = paths.get(other) + " " + paths.get(reader) + " " + reader.uri;
            for (int i = 0; i < 20; i++) {
                sendWhole(other, toReader, "o" + i + "x" + TestPeer.id(), Arrays.copyOf(body, 1000 + i));
                PeerMessage m = reader.read();
                assertThat(m.header("Message-ID")).startsWith("o" + i + "x");
                assertThat(m.body()).isEqualTo(Arrays.copyOf(body, 1000 + i));
            }
            await(() -> fixture.relay.pausedConnections() == 1, "only the stalled receiver's sender is paused");
            assertThat(fixture.relay.bufferedBytes()).as("still bounded: the rest waits in the sender's socket")
                    .isLessThan(BOUND);

            for (int i = 0; i < MESSAGES; i++) {
                for (int offset = 0; offset < SIZE; offset += CHUNK) {
                    PeerMessage chunk = stalled.read();
                    assertThat(chunk.header("Message-ID")).as("message %d in order", i).startsWith("m" + i + "x");
                    assertThat(chunk.header("Byte-Range")).isEqualTo((offset + 1) + "-" + (offset + CHUNK) + "/" + SIZE);
                    assertThat(chunk.body()).isEqualTo(Arrays.copyOfRange(body, offset, offset + CHUNK));
                }
            }
            flood.join(10_000);
            assertThat(sent.get()).isEqualTo(MESSAGES);
            await(() -> fixture.relay.pausedConnections() == 0 && fixture.relay.bufferedBytes() == 0,
                    "the relay holds nothing once the receiver has caught up");
            assertThat(fixture.relay.pendingCount()).isZero();
        }
    }

    /** One message in 8 KiB chunks, no reports either way (the relay answers nothing, waits for nothing). */
    private static void sendWhole(TestPeer from, String toPath, String messageId, byte[] body) throws IOException {
        for (int offset = 0; offset < body.length; offset += CHUNK) {
            int n = Math.min(CHUNK, body.length - offset);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("To-Path", toPath);
            h.put("From-Path", from.uri);
            h.put("Message-ID", messageId);
            h.put("Success-Report", "no");
            h.put("Failure-Report", "no");
            h.put("Byte-Range", (offset + 1) + "-" + (offset + n) + "/" + body.length);
            from.raw(TestPeer.request(TestPeer.id(), "SEND", h, "application/octet-stream",
                    Arrays.copyOfRange(body, offset, offset + n), offset + n < body.length ? '+' : '$'));
        }
    }

    /** Until the relay has paused one connection and the flood has sent nothing more for 300 ms. */
    private static void awaitStall(AtomicInteger sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int seen = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = sent.get();
            if (now != seen || fixture.relay.pausedConnections() != 1) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(fixture.relay.pausedConnections()).as("the relay stops reading the sender for good").isEqualTo(1);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
