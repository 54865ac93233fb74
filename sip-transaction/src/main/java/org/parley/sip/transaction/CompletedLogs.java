package org.parley.sip.transaction;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.parley.sip.transport.Flow;

/**
 * One timer's {@link CompletedLog}, split into a few by the key's hash: every request's look-up
 * and every completion's hand-over takes a log's monitor, and with one log per timer the request
 * threads queued on it — at 11,200 REGISTER calls/s its owner's self time was 5.6 % of the CPU
 * samples, and the sweep waited up to a second for its turn (issue 13). A key always goes to the
 * same log; the cap is shared out among them, at least one chunk each.
 */
final class CompletedLogs implements AutoCloseable {
    /** A few more than the CPUs that run request threads at once on the machines this serves. */
    static final int STRIPES = 4;

    private final CompletedLog[] logs = new CompletedLog[STRIPES];
    /**
     * One keyed hash for all the logs: a key is hashed once, and the hash both picks its log (bits
     * 32 to 39) and indexes it there (its top bits and its low bits). Keyed with a random secret,
     * since peers choose branches and must not be able to choose ones that pile up in one run of
     * slots: SipHash is made for that (hash flooding), and serves the To tags too.
     */
    private final SipHash hash;

    CompletedLogs(String name, Scheduler scheduler, Duration lifetime, int maxChunks, LongConsumer droppedEarly) {
        SecureRandom random = new SecureRandom();
        this.hash = new SipHash(random.nextLong(), random.nextLong());
        int each = Math.max(1, maxChunks / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            logs[i] = new CompletedLog(name, scheduler, lifetime, each, droppedEarly);
        }
    }

    /** The hash of {@code key} the other methods take: computed once per key, however often it is looked up. */
    long hash(byte[] key) {
        return hash.hash(key);
    }

    private CompletedLog of(long hash) {
        return logs[(int) (hash >>> 32) & STRIPES - 1];
    }

    /** {@link CompletedLog#add}. */
    long add(byte[] key, long hash, Flow flow, byte[] answer) {
        return of(hash).add(key, hash, flow, answer);
    }

    /** {@link CompletedLog#find}. */
    CompletedLog.Entry find(byte[] key, long hash) {
        return of(hash).find(key, hash);
    }

    /** {@link CompletedLog#contains}. */
    boolean contains(byte[] key, long hash) {
        return of(hash).contains(key, hash);
    }

    /** {@link CompletedLog#withdraw}. */
    void withdraw(byte[] key, long hash) {
        of(hash).withdraw(key, hash);
    }

    /** Entries alive in all of them. */
    int size() {
        int n = 0;
        for (CompletedLog log : logs) {
            n += log.size();
        }
        return n;
    }

    /** Direct memory all of them hold. */
    long bytes() {
        long n = 0;
        for (CompletedLog log : logs) {
            n += log.bytes();
        }
        return n;
    }

    @Override
    public void close() {
        for (CompletedLog log : logs) {
            log.close();
        }
    }
}
