package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/**
 * The off-heap log of what Timer J (RFC 3261 §17.2.2) and Timer K (§17.1.2.2) keep, matched by
 * the §17.2.3 / §17.1.3 keys, driven by {@link ManualScheduler} time.
 */
@DisplayName("RFC 3261 §17.2.2 Timer J, §17.1.2.2 Timer K, §17.2.3 matching: completed transactions kept off the heap")
class CompletedLogTest {
    static final Duration TIMER_J = Duration.ofSeconds(32);
    static final Flow PEER = new Flow(Transport.UDP, new InetSocketAddress("192.0.2.1", 5060),
            new InetSocketAddress("198.51.100.7", 24061), null);

    final ManualScheduler scheduler = new ManualScheduler();
    final Instant start = scheduler.now();
    final AtomicLong dropped = new AtomicLong();

    CompletedLog log(int maxChunks) {
        return new CompletedLog("Timer J", scheduler, TIMER_J, maxChunks, dropped::addAndGet);
    }

    /** The hash the log is given with each key: its own, or one that collides. */
    ToLongFunction<byte[]> hash = new SipHash(0x5eed, 0)::hash;

    long add(CompletedLog log, byte[] key, Flow flow, byte[] answer) {
        return log.add(key, hash.applyAsLong(key), flow, answer);
    }

    CompletedLog.Entry find(CompletedLog log, byte[] key) {
        return log.find(key, hash.applyAsLong(key));
    }

    boolean contains(CompletedLog log, byte[] key) {
        return log.contains(key, hash.applyAsLong(key));
    }

    void withdraw(CompletedLog log, byte[] key) {
        log.withdraw(key, hash.applyAsLong(key));
    }

    static byte[] key(String branch) {
        return new ServerKey.Branch(branch, "198.51.100.7", 5060, "MESSAGE").bytes();
    }

    /** A 200 as the layer keeps it: its octets. */
    static byte[] answer(int i, int length) {
        byte[] octets = new byte[length];
        byte[] head = ("SIP/2.0 200 OK\r\nCSeq: " + i + " MESSAGE\r\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, octets, 0, Math.min(head.length, length));
        for (int k = head.length; k < length; k++) {
            octets[k] = (byte) ('a' + (i + k) % 26);
        }
        return octets;
    }

    void advance(long millis) {
        scheduler.advance(Duration.ofMillis(millis));
    }

    @Test
    @DisplayName("§17.2.2: an entry is found with its answer's octets and its flow, until exactly Timer J; a key never added is not")
    void findsUntilItsDeadline() {
        CompletedLog log = log(4);
        byte[] ok = answer(1, 470);
        long deadline = add(log, key("z9hG4bK-1"), PEER, ok);
        assertThat(deadline).isEqualTo(start.plus(TIMER_J).toEpochMilli());
        assertThat(log.size()).isEqualTo(1);
        assertThat(scheduler.pending()).as("one timer for the log").isEqualTo(1);

        CompletedLog.Entry found = find(log, key("z9hG4bK-1"));
        assertThat(found.answer()).isEqualTo(ok);
        assertThat(found.flow()).isEqualTo(PEER);
        assertThat(find(log, key("z9hG4bK-2"))).isNull();

        advance(TIMER_J.toMillis() - 1);
        assertThat(find(log, key("z9hG4bK-1"))).isNotNull();
        advance(1);
        assertThat(find(log, key("z9hG4bK-1"))).isNull();
        assertThat(log.size()).isZero();
        assertThat(scheduler.pending()).as("nothing left: no timer").isZero();
        assertThat(dropped).hasValue(0);
    }

    @Test
    @DisplayName("§17.2.3: keys differing only in the sent-by port, the sent-by host, the method or the branch are other transactions")
    void keysDifferingInOnePart() {
        CompletedLog log = log(4);
        add(log, new ServerKey.Branch("z9hG4bK-a", "198.51.100.7", 5060, "MESSAGE").bytes(), PEER, answer(1, 100));
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-a", "198.51.100.7", 5060, "MESSAGE").bytes())).isTrue();
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-a", "198.51.100.7", 5061, "MESSAGE").bytes())).isFalse();
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-a", "198.51.100.70", 5060, "MESSAGE").bytes())).isFalse();
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-a", "198.51.100.7", 5060, "REGISTER").bytes())).isFalse();
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-A", "198.51.100.7", 5060, "MESSAGE").bytes())).isFalse();
        // the octets keep the parts apart: moving a character from one part to the next is another key
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-", "a198.51.100.7", 5060, "MESSAGE").bytes())).isFalse();
        // RFC 2543 keys, and a missing To tag is not an empty one
        byte[] old = new ServerKey.Rfc2543("sip:bob@example.com", null, "a1", "c1", 1, "SIP/2.0/UDP h", "MESSAGE").bytes();
        add(log, old, PEER, answer(2, 100));
        assertThat(contains(log, old)).isTrue();
        assertThat(contains(log, new ServerKey.Rfc2543("sip:bob@example.com", "", "a1", "c1", 1, "SIP/2.0/UDP h", "MESSAGE")
                .bytes())).isFalse();
        assertThat(contains(log, new ServerKey.Rfc2543("sip:bob@example.com", null, "a1", "c1", 2, "SIP/2.0/UDP h", "MESSAGE")
                .bytes())).isFalse();
        // characters beyond ASCII are kept apart too
        byte[] accented = new ServerKey.Branch("z9hG4bK-é€", "h", 1, "M").bytes();
        add(log, accented, PEER, answer(3, 10));
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-é€", "h", 1, "M").bytes())).isTrue();
        assertThat(contains(log, new ServerKey.Branch("z9hG4bK-e€", "h", 1, "M").bytes())).isFalse();
    }

    @Test
    @DisplayName("§17.2.3 with every key on one hash: entries are told apart by their stored key octets")
    void hashCollisions() {
        hash = key -> 42L;
        CompletedLog log = log(4);
        int n = 2000; // more than one index segment holds: the collisions span segments
        for (int i = 0; i < n; i++) {
            add(log, key("z9hG4bK-" + i), PEER, answer(i, 64));
        }
        for (int i = 0; i < n; i++) {
            assertThat(find(log, key("z9hG4bK-" + i)).answer()).as("entry %d", i).isEqualTo(answer(i, 64));
        }
        assertThat(find(log, key("z9hG4bK-" + n))).isNull();
        advance(TIMER_J.toMillis());
        assertThat(find(log, key("z9hG4bK-0"))).isNull();
        assertThat(log.size()).isZero();
    }

    @Test
    @DisplayName("§17.2.2: entries added over time each expire at their own deadline, on one timer; chunks are given back whole")
    void expiryInArrivalOrderByChunk() {
        CompletedLog log = log(64);
        int n = 18_000; // about 11 MiB of 630-octet entries: a dozen chunks
        for (int i = 0; i < n; i++) {
            add(log, key("z9hG4bK-" + i), PEER, answer(i, 560));
            if (i % 200 == 199) {
                advance(300); // 200 entries every 0.3 s: the last ones come 26.7 s after the first
            }
        }
        assertThat(scheduler.pending()).isEqualTo(1);
        long full = log.bytes();
        assertThat(full).isGreaterThanOrEqualTo(10L * CompletedLog.CHUNK_BYTES);
        assertThat(log.size()).isEqualTo(n);

        // now = 27 s: the first 200 expire at 32 s, the next 200 at 32.3 s
        advance(TIMER_J.toMillis() - 27_000 - 1);
        assertThat(contains(log, key("z9hG4bK-0"))).isTrue();
        advance(1);
        assertThat(contains(log, key("z9hG4bK-0"))).isFalse();
        assertThat(contains(log, key("z9hG4bK-199"))).isFalse();
        assertThat(contains(log, key("z9hG4bK-200"))).isTrue();
        assertThat(log.size()).isEqualTo(n - 200);

        advance(15_000);
        // now = 47 s: the batches added at 0 s ... 15.0 s have expired
        assertThat(log.size()).as("the entries of the first 15 s expired").isEqualTo(n - 51 * 200);
        assertThat(contains(log, key("z9hG4bK-" + (51 * 200 - 1)))).isFalse();
        assertThat(contains(log, key("z9hG4bK-" + 51 * 200))).isTrue();
        advance(TIMER_J.toMillis());
        assertThat(log.size()).isZero();
        assertThat(contains(log, key("z9hG4bK-" + (n - 1)))).isFalse();
        assertThat(log.bytes()).as("the chunks passed went back: the one being written and a few for reuse stay")
                .isLessThanOrEqualTo((1L + CompletedLog.POOLED) * CompletedLog.CHUNK_BYTES);
        assertThat(scheduler.pending()).isZero();
        assertThat(dropped).hasValue(0);
    }

    @Test
    @DisplayName("the cap: at it the oldest chunk is dropped before its time, counted; the newest entries stay; memory stays bounded")
    void cap() {
        CompletedLog log = log(2);
        int perChunk = CompletedLog.CHUNK_BYTES / 600;
        int n = perChunk * 5;
        for (int i = 0; i < n; i++) {
            add(log, key("z9hG4bK-" + i), PEER, answer(i, 560));
        }
        assertThat(log.bytes()).as("the cap").isLessThanOrEqualTo(2L * CompletedLog.CHUNK_BYTES);
        assertThat(dropped.get()).isPositive();
        assertThat(log.size()).isEqualTo(n - (int) dropped.get());
        assertThat(log.size()).isBetween(perChunk, 2 * perChunk);
        assertThat(contains(log, key("z9hG4bK-0"))).as("dropped early").isFalse();
        assertThat(find(log, key("z9hG4bK-" + (n - 1))).answer()).isEqualTo(answer(n - 1, 560));
        assertThat(contains(log, key("z9hG4bK-" + (n - perChunk)))).isTrue();

        advance(TIMER_J.toMillis());
        assertThat(log.size()).isZero();
    }

    @Test
    @DisplayName("an entry larger than a chunk is not kept but counted as dropped; withdrawing ends an entry at once")
    void oversizedAndWithdrawn() {
        CompletedLog log = log(2);
        assertThat(add(log, key("z9hG4bK-big"), PEER, new byte[CompletedLog.CHUNK_BYTES])).isEqualTo(-1);
        assertThat(dropped).hasValue(1);
        assertThat(contains(log, key("z9hG4bK-big"))).isFalse();

        add(log, key("z9hG4bK-1"), PEER, answer(1, 100));
        add(log, key("z9hG4bK-2"), PEER, answer(2, 100));
        withdraw(log, key("z9hG4bK-1"));
        assertThat(contains(log, key("z9hG4bK-1"))).isFalse();
        assertThat(contains(log, key("z9hG4bK-2"))).isTrue();
        assertThat(log.size()).isEqualTo(1);
        advance(TIMER_J.toMillis());
        assertThat(log.size()).isZero();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    @DisplayName("§17.2.2: the repeated answer goes to the flow it first went to: IPv4, IPv6 with its scope, a connection, none")
    void flowsKeptAsTheyWere() throws Exception {
        CompletedLog log = log(2);
        Flow v6 = new Flow(Transport.UDP, new InetSocketAddress("::", 5060),
                new InetSocketAddress(Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3), 5070),
                null);
        Flow connection = new Flow(Transport.TCP, new InetSocketAddress("192.0.2.1", 5060),
                new InetSocketAddress("198.51.100.7", 40123), "c-17");
        Flow unresolved = new Flow(Transport.UDP, new InetSocketAddress("192.0.2.1", 65535),
                InetSocketAddress.createUnresolved("pc.example.com", 5060), null);
        add(log, key("v6"), v6, answer(1, 10));
        add(log, key("tcp"), connection, answer(2, 10));
        add(log, key("unresolved"), unresolved, answer(3, 10));
        add(log, key("none"), null, null);
        assertThat(find(log, key("v6")).flow()).isEqualTo(v6);
        assertThat(find(log, key("tcp")).flow()).isEqualTo(connection);
        assertThat(find(log, key("unresolved")).flow()).isEqualTo(unresolved);
        CompletedLog.Entry none = find(log, key("none"));
        assertThat(none.flow()).isNull();
        assertThat(none.answer()).isEmpty();
    }

    @Test
    @DisplayName("many threads adding and finding at once: every entry is found, none twice counted")
    void concurrentAddsAndFinds() throws Exception {
        CompletedLog log = log(64);
        int threads = 16;
        int each = 5000;
        List<Callable<Integer>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(() -> {
                int found = 0;
                for (int i = 0; i < each; i++) {
                    byte[] k = key("z9hG4bK-" + thread + "-" + i);
                    add(log, k, PEER, answer(i, 200));
                    CompletedLog.Entry entry = find(log, k);
                    if (entry != null && entry.answer()[entry.answer().length - 1] == answer(i, 200)[199]) {
                        found++;
                    }
                    contains(log, key("z9hG4bK-" + (thread + 1) + "-" + i)); // another thread's, maybe not yet there
                }
                return found;
            });
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(work)) {
                assertThat(f.get()).isEqualTo(each);
            }
        }
        assertThat(log.size()).isEqualTo(threads * each);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i += 97) {
                assertThat(contains(log, key("z9hG4bK-" + t + "-" + i))).isTrue();
            }
        }
        advance(TIMER_J.toMillis());
        assertThat(log.size()).isZero();
    }

    @Test
    @DisplayName("close lets go of every chunk; nothing is kept or found afterwards")
    void close() {
        CompletedLog log = log(4);
        add(log, key("z9hG4bK-1"), PEER, answer(1, 100));
        assertThat(log.bytes()).isEqualTo(CompletedLog.CHUNK_BYTES);
        log.close();
        assertThat(log.bytes()).isZero();
        assertThat(log.size()).isZero();
        assertThat(contains(log, key("z9hG4bK-1"))).isFalse();
        assertThat(add(log, key("z9hG4bK-2"), PEER, answer(2, 100))).isEqualTo(-1);
        assertThat(scheduler.pending()).as("its timer withdrawn").isZero();
    }

    @Test
    @DisplayName("§17.2.3 with every key on one hash: keys of every length up to 40 octets differing in any one octet are told apart")
    void keysDifferingInOneOctet() {
        hash = key -> 42L;
        CompletedLog log = log(4);
        for (int length = 1; length <= 40; length++) {
            byte[] key = new byte[length];
            for (int i = 0; i < length; i++) {
                key[i] = (byte) ('a' + i);
            }
            add(log, key, PEER, answer(length, 20));
            for (int i = 0; i < length; i++) {
                byte[] other = key.clone();
                other[i] ^= 1;
                assertThat(contains(log, other)).as("length %d, octet %d", length, i).isFalse();
            }
            assertThat(find(log, key.clone()).answer()).isEqualTo(answer(length, 20));
        }
    }

    @Test
    @DisplayName("§17.2.2 over the four logs of a timer: a key is found where its one hash put it, until Timer J")
    void stripedLogs() {
        CompletedLogs logs = new CompletedLogs("Timer J", scheduler, TIMER_J, 4 * CompletedLogs.STRIPES, dropped::addAndGet);
        int n = 4000;
        for (int i = 0; i < n; i++) {
            byte[] k = key("z9hG4bK-" + i);
            logs.add(k, logs.hash(k), PEER, answer(i, 100));
        }
        assertThat(logs.size()).isEqualTo(n);
        assertThat(logs.bytes()).as("every log took some").isEqualTo((long) CompletedLogs.STRIPES * CompletedLog.CHUNK_BYTES);
        for (int i = 0; i < n; i++) {
            byte[] k = key("z9hG4bK-" + i);
            assertThat(logs.find(k, logs.hash(k)).answer()).isEqualTo(answer(i, 100));
        }
        byte[] gone = key("z9hG4bK-0");
        logs.withdraw(gone, logs.hash(gone));
        assertThat(logs.contains(gone, logs.hash(gone))).isFalse();
        byte[] never = key("z9hG4bK-" + n);
        assertThat(logs.contains(never, logs.hash(never))).isFalse();
        advance(TIMER_J.toMillis());
        assertThat(logs.size()).isZero();
        logs.close();
    }
}
