package org.parley.sip.transaction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.parley.sip.transport.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Timer J (§17.2.2: a completed non-INVITE server transaction over UDP repeats its final
 * response for 64·T1) or Timer K (§17.1.2.2: a completed non-INVITE client transaction absorbs
 * retransmitted finals for T4) keeps of each completed transaction, with no Java object per
 * transaction: at 8,000 MESSAGE or 20,000 REGISTER calls/s a million of them wait at a time, and
 * the young collections of G1 copied them pause after pause (issue 13).
 *
 * <p>An entry — its deadline, its {@link KeyBytes key}, the {@link FlowOctets flow} its answer
 * went out on and that answer's octets — is appended to a log of fixed-size direct buffers
 * ("chunks"). Entries of one log all live equally long, so they expire in the order they came:
 * one timer, set for the oldest entry's deadline, moves a read position past the expired ones and
 * gives a chunk it has passed back whole (kept for reuse, so that a steady load allocates no
 * direct memory). There is no timer and no queue node per entry, and each entry still ends
 * exactly at its own deadline.
 *
 * <p>The index is open addressing in {@code long[]} segments: a slot holds 22 bits of the key's
 * hash, the chunk's sequence number (24 bits) and the entry's offset in it. A segment is never
 * grown or rehashed — there is no pause to rebuild it: when it is half full the next one (sized
 * to take as many inserts as entries are alive) takes the inserts, and a segment is dropped once
 * the read position has passed its newest entry. A slot whose chunk is gone is recognised by the
 * sequence number; a slot is believed only after the key octets stored in the entry compare
 * equal. A look-up probes the few segments alive, newest first; a miss — what every new request
 * costs — usually ends at the first empty slot of each.
 *
 * <p>Memory is bounded by {@code maxChunks} (sip.transaction.completed-max-mb): when the log would
 * need more, its oldest chunk is dropped before its entries' time — counted, and logged once per
 * lifetime — since a retransmission then treated as a new request costs less than a server out of
 * memory. Entries larger than a chunk (never over UDP, whose datagrams are at most 64 KiB) are not
 * kept and counted the same way. {@link #close()} lets go of every buffer.
 *
 * <p>Thread-safe: one monitor, held for a probe or a copy of a few hundred octets; a timer's
 * entries are split over a few logs ({@link CompletedLogs}) so that request threads seldom meet on it.
 */
final class CompletedLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletedLog.class);

    static final int CHUNK_BYTES = 1 << 20;
    /** Chunks given back and kept for reuse: the few a steady load turns over. */
    static final int POOLED = 4;
    /** Entry header: deadline (epoch ms; -1 once withdrawn), key, flow and answer lengths. */
    private static final int HEADER = Long.BYTES + 3 * Integer.BYTES;
    private static final int OFFSET_BITS = 17; // offsets are multiples of 8 in a 1 MiB chunk
    private static final int SEQ_BITS = 24;
    private static final int FINGERPRINT_BITS = 22;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
    /** Set in every slot in use, so that an empty slot is 0. */
    private static final long USED = 1L << 63;
    /** A segment takes inserts over at most this many chunks, so that its slots' 24-bit sequence numbers never alias. */
    private static final long SEGMENT_SPAN = 1L << (SEQ_BITS - 2);
    private static final int MIN_SLOTS = 1 << 10;
    /** A key's octets eight at a time in the chunks' (big-endian) order, to compare them with a stored key. */
    private static final VarHandle STORED_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** What a look-up found: the answer's octets and the flow they went out on (null for Timer K's entries). */
    record Entry(byte[] answer, Flow flow) {
    }

    /** An index segment; its newest entry's position tells when none of its entries is alive. */
    private static final class Segment {
        final long[] slots;
        final int mask;
        final long firstSeq;
        int used;
        long lastSeq = -1;
        int lastOffset;

        Segment(int capacity, long firstSeq) {
            this.slots = new long[capacity];
            this.mask = capacity - 1;
            this.firstSeq = firstSeq;
        }
    }

    private final String name;
    private final Scheduler scheduler;
    private final long lifetimeMillis;
    private final int maxChunks;
    private final LongConsumer droppedEarly;

    // Guarded by this. Chunks alive: sequence numbers firstSeq .. firstSeq + chunkCount - 1, in a ring.
    private ByteBuffer[] chunks = new ByteBuffer[8];
    private int[] ends = new int[8];
    private long firstSeq;
    private int chunkCount;
    /** Where the next entry goes in the newest chunk. */
    private int writeAt;
    /** The oldest entry not yet expired, in the oldest chunk. */
    private int readAt;
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    /** Oldest first; the last takes the inserts. */
    private final List<Segment> segments = new ArrayList<>();
    private int size;
    private boolean armed;
    private Cancellable timer;
    private boolean closed;
    private long droppedSinceLogged;
    private long nextLogAt;
    /** Set by {@link #locate}: the chunk of the entry found. */
    private long foundSeq;

    /**
     * @param name         the timer, for the log line ("Timer J")
     * @param maxChunks    at most this many chunks of {@link #CHUNK_BYTES} at a time
     * @param droppedEarly told how many entries were dropped before their time (the metric)
     */
    CompletedLog(String name, Scheduler scheduler, Duration lifetime, int maxChunks, LongConsumer droppedEarly) {
        if (maxChunks < 1) {
            throw new IllegalArgumentException("at least one chunk: " + maxChunks);
        }
        this.name = name;
        this.scheduler = scheduler;
        this.lifetimeMillis = lifetime.toMillis();
        this.maxChunks = maxChunks;
        this.droppedEarly = droppedEarly;
    }

    /**
     * Keeps an entry for one lifetime from now. Returns its deadline (epoch ms, the scheduler's
     * clock), or -1 when it was not kept (larger than a chunk, or the log is closed).
     *
     * @param hash   the key's {@link CompletedLogs#hash}, computed once by the caller for all it does with the key
     * @param flow   the flow to repeat the answer on, or null
     * @param answer the answer's octets, or null
     */
    long add(byte[] key, long hash, Flow flow, byte[] answer) {
        int flowBytes = FlowOctets.size(flow);
        int answerBytes = answer == null ? 0 : answer.length;
        long length = align((long) HEADER + key.length + flowBytes + answerBytes);
        long deadline = -1;
        long dropped;
        boolean arm;
        synchronized (this) {
            if (closed) {
                return -1;
            }
            dropped = length > CHUNK_BYTES ? -1 : room((int) length);
            if (dropped >= 0) {
                ByteBuffer chunk = chunk(newestSeq());
                int at = writeAt;
                // Deadlines grow along the log as the clock does; a wall clock set back puts a
                // later one before earlier ones, and the sweep then waits for it (memory, bounded
                // by the cap — a look-up still checks each entry's own deadline).
                deadline = scheduler.millis() + lifetimeMillis;
                chunk.putLong(at, deadline);
                chunk.putInt(at + 8, key.length);
                chunk.putInt(at + 12, flowBytes);
                chunk.putInt(at + 16, answerBytes);
                chunk.put(at + HEADER, key);
                FlowOctets.put(chunk, at + HEADER + key.length, flow);
                if (answer != null) {
                    chunk.put(at + HEADER + key.length + flowBytes, answer);
                }
                writeAt = at + (int) length;
                ends[ring(newestSeq())] = writeAt;
                index(hash, newestSeq(), at);
                size++;
            }
            arm = dropped >= 0 && !armed;
            armed |= arm;
        }
        if (arm) {
            arm(lifetimeMillis);
        }
        if (dropped != 0) {
            dropped(dropped < 0 ? 1 : dropped); // not kept: counted as dropped before its time
        }
        return deadline;
    }

    /** The live entry kept under {@code key} (whose {@link CompletedLogs#hash} is {@code hash}), or null. */
    Entry find(byte[] key, long hash) {
        synchronized (this) {
            int at = locate(key, hash);
            if (at < 0) {
                return null;
            }
            ByteBuffer chunk = chunk(foundSeq);
            int flowBytes = chunk.getInt(at + 12);
            byte[] answer = new byte[chunk.getInt(at + 16)];
            chunk.get(at + HEADER + key.length + flowBytes, answer);
            return new Entry(answer, flowBytes == 0 ? null : FlowOctets.get(chunk, at + HEADER + key.length));
        }
    }

    /** Whether a live entry is kept under {@code key} (whose {@link CompletedLogs#hash} is {@code hash}). */
    boolean contains(byte[] key, long hash) {
        synchronized (this) {
            return locate(key, hash) >= 0;
        }
    }

    /** Ends the live entry kept under {@code key} before its time (its transaction was terminated meanwhile). */
    void withdraw(byte[] key, long hash) {
        synchronized (this) {
            int at = locate(key, hash);
            if (at >= 0) {
                chunk(foundSeq).putLong(at, -1);
                size--;
            }
        }
    }

    /** Entries alive. */
    synchronized int size() {
        return size;
    }

    /** Direct memory held, pooled chunks included. */
    synchronized long bytes() {
        return (long) (chunkCount + pool.size()) * CHUNK_BYTES;
    }

    /** Lets go of every chunk and index; what is added afterwards is not kept. */
    @Override
    public void close() {
        Cancellable running;
        synchronized (this) {
            closed = true;
            running = timer;
            timer = null;
            chunks = new ByteBuffer[0];
            ends = new int[0];
            chunkCount = 0;
            pool.clear();
            segments.clear();
            size = 0;
        }
        if (running != null) {
            running.cancel();
        }
    }

    // ---- the log ---------------------------------------------------------------------------------

    private long newestSeq() {
        return firstSeq + chunkCount - 1;
    }

    private int ring(long seq) {
        return (int) seq & (chunks.length - 1);
    }

    private ByteBuffer chunk(long seq) {
        return chunks[ring(seq)];
    }

    private static long align(long n) {
        return n + 7 & ~7L;
    }

    /** Room for {@code length} octets in the newest chunk: the entries dropped to make it, -1 when there is none. */
    private long room(int length) {
        return chunkCount == 0 || writeAt + length > CHUNK_BYTES ? newChunk() : 0;
    }

    /**
     * Starts a chunk, dropping the oldest first when the cap is reached; returns the entries
     * dropped, or -1 when there is no direct memory for even one chunk.
     */
    private long newChunk() {
        long dropped = 0;
        ByteBuffer buffer = null;
        if (chunkCount == maxChunks) {
            dropped = dropOldest();
        }
        if (pool.isEmpty()) {
            try {
                buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
            } catch (OutOfMemoryError e) {
                // -XX:MaxDirectMemorySize reached before the cap: the cap, in effect, is lower
                if (chunkCount == 0) {
                    return -1;
                }
                dropped += dropOldest();
            }
        }
        if (buffer == null) {
            buffer = pool.pop();
        }
        if (chunkCount == chunks.length) {
            growRing();
        }
        chunkCount++;
        chunks[ring(newestSeq())] = buffer;
        ends[ring(newestSeq())] = 0;
        writeAt = 0;
        return dropped;
    }

    private void growRing() {
        ByteBuffer[] c = new ByteBuffer[chunks.length * 2];
        int[] e = new int[c.length];
        for (long seq = firstSeq; seq <= newestSeq(); seq++) {
            c[(int) seq & (c.length - 1)] = chunk(seq);
            e[(int) seq & (c.length - 1)] = ends[ring(seq)];
        }
        chunks = c;
        ends = e;
    }

    /** Drops the oldest chunk before its entries' time; returns how many were still alive. */
    private long dropOldest() {
        long now = scheduler.millis();
        int end = ends[ring(firstSeq)];
        long alive = 0;
        ByteBuffer oldest = chunk(firstSeq);
        for (int at = readAt; at < end; at += entryLength(oldest, at)) {
            long deadline = oldest.getLong(at);
            if (deadline >= 0) {
                size--; // not withdrawn: still counted, expired or not
                if (deadline > now) {
                    alive++;
                }
            }
        }
        retireOldest();
        return alive;
    }

    private void retireOldest() {
        ByteBuffer oldest = chunk(firstSeq);
        chunks[ring(firstSeq)] = null;
        if (pool.size() < POOLED) {
            pool.push(oldest);
        }
        firstSeq++;
        chunkCount--;
        readAt = 0;
        if (chunkCount == 0) {
            writeAt = 0;
        }
        dropDeadSegments();
    }

    private static int entryLength(ByteBuffer chunk, int at) {
        return (int) align((long) HEADER + chunk.getInt(at + 8) + chunk.getInt(at + 12) + chunk.getInt(at + 16));
    }

    /** The timer: moves the read position past every expired entry, gives back the chunks it passed. */
    private void sweep() {
        long next;
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = scheduler.millis();
            next = -1;
            while (chunkCount > 0) {
                if (readAt == ends[ring(firstSeq)]) {
                    if (chunkCount == 1) {
                        break; // the chunk being written stays
                    }
                    retireOldest();
                    continue;
                }
                ByteBuffer oldest = chunk(firstSeq);
                long deadline = oldest.getLong(readAt);
                if (deadline > now) {
                    next = deadline - now;
                    break;
                }
                if (deadline >= 0) {
                    size--;
                }
                readAt += entryLength(oldest, readAt);
            }
            dropDeadSegments();
            if (next < 0 || size == 0) {
                armed = false;
                timer = null;
                return;
            }
        }
        // never longer than a lifetime: a wall clock set back must not keep entries longer
        arm(Math.min(next, lifetimeMillis));
    }

    private void arm(long delayMillis) {
        // on a worker, not the timer thread: the sweep waits for the monitor behind request threads,
        // and every other timer of the server would wait with it
        Cancellable t = scheduler.later(Duration.ofMillis(delayMillis), this::sweep);
        synchronized (this) {
            if (armed && !closed) {
                timer = t;
                return;
            }
        }
        t.cancel();
    }

    private void dropped(long n) {
        droppedEarly.accept(n);
        long now = scheduler.millis();
        long total;
        synchronized (this) {
            droppedSinceLogged += n;
            if (now < nextLogAt) {
                return;
            }
            nextLogAt = now + lifetimeMillis;
            total = droppedSinceLogged;
            droppedSinceLogged = 0;
        }
        LOG.warn("{}: {} completed transactions dropped before their time: their log is at its cap of {} MiB"
                        + " (sip.transaction.completed-max-mb); a retransmission of one is taken for a new request",
                name, total, (long) maxChunks * CHUNK_BYTES >> 20);
    }

    // ---- the index -------------------------------------------------------------------------------

    private static long fingerprint(long hash) {
        return hash >>> (Long.SIZE - FINGERPRINT_BITS);
    }

    private void index(long hash, long seq, int at) {
        Segment current = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (current == null || (current.used + 1) * 2 > current.slots.length || seq - current.firstSeq >= SEGMENT_SPAN) {
            // half full after as many inserts as entries are alive: about one lifetime at a steady rate
            int capacity = Integer.highestOneBit(Math.max(MIN_SLOTS, size * 2) - 1) << 1;
            current = new Segment(capacity, seq);
            segments.add(current);
        }
        long slot = USED | fingerprint(hash) << (SEQ_BITS + OFFSET_BITS) | (seq & SEQ_MASK) << OFFSET_BITS | at >>> 3;
        int i = (int) hash & current.mask;
        while (current.slots[i] != 0) {
            i = i + 1 & current.mask;
        }
        current.slots[i] = slot;
        current.used++;
        current.lastSeq = seq;
        current.lastOffset = at;
    }

    /** The offset of the live entry under {@code key}, its chunk in {@link #foundSeq}; -1 when there is none. */
    private int locate(byte[] key, long hash) {
        if (chunkCount == 0) {
            return -1;
        }
        long now = scheduler.millis();
        long fingerprint = fingerprint(hash);
        long newest = newestSeq();
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment segment = segments.get(s);
            for (int i = (int) hash & segment.mask; ; i = i + 1 & segment.mask) {
                long slot = segment.slots[i];
                if (slot == 0) {
                    break;
                }
                if ((slot >>> (SEQ_BITS + OFFSET_BITS) & (1L << FINGERPRINT_BITS) - 1) != fingerprint) {
                    continue;
                }
                long seq = newest - (newest - (slot >>> OFFSET_BITS) & SEQ_MASK);
                int at = (int) (slot & (1L << OFFSET_BITS) - 1) << 3;
                if (seq < firstSeq || seq == firstSeq && at < readAt) {
                    continue; // expired, or dropped with its chunk
                }
                ByteBuffer chunk = chunk(seq);
                if (chunk.getLong(at) > now && sameKey(chunk, at, key)) {
                    foundSeq = seq;
                    return at;
                }
            }
        }
        return -1;
    }

    private static boolean sameKey(ByteBuffer chunk, int at, byte[] key) {
        if (chunk.getInt(at + 8) != key.length) {
            return false;
        }
        // eight octets at a time: an octet at a time through the buffer cost a bounds check each
        int from = at + HEADER;
        int i = 0;
        for (; i + Long.BYTES <= key.length; i += Long.BYTES) {
            if (chunk.getLong(from + i) != (long) STORED_LONGS.get(key, i)) {
                return false;
            }
        }
        for (; i < key.length; i++) {
            if (chunk.get(from + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    private void dropDeadSegments() {
        while (!segments.isEmpty()) {
            Segment oldest = segments.get(0);
            boolean dead = oldest.lastSeq < firstSeq || oldest.lastSeq == firstSeq && oldest.lastOffset < readAt
                    || chunkCount == 0;
            if (!dead) {
                return;
            }
            segments.remove(0);
        }
    }
}
