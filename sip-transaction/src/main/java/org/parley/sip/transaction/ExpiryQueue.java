package org.parley.sip.transaction;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Entries that all live for one fixed time — Timer J's completed answers (64·T1), Timer K's
 * answered requests (T4) — and so expire in the order they came: kept in arrival order in a ring
 * of two parallel arrays (deadline, entry) and expired by one timer, armed for the head's deadline
 * and armed again for the next head's, rather than by a timer of their own each. At 2,400
 * MESSAGE/s some 150,000 completed answers wait at a time, and a wheel timeout, its scheduler
 * entry and a task per answer were some 100 B of each one's 600 (issue 13); here an entry costs
 * its two array slots.
 *
 * <p>Each entry expires at its own deadline as the {@link Scheduler} keeps time: the timer is set
 * for the head's deadline, never for a sweep period, so {@link ManualScheduler} tests see it
 * expire at exactly its instant. Entries are never withdrawn early; whoever holds one checks
 * whether it has expired.
 */
final class ExpiryQueue<T> {
    private static final int MIN_CAPACITY = 64;
    /** Entries taken out of the ring under one lock while sweeping. */
    private static final int BATCH = 256;

    private final Scheduler scheduler;
    private final Duration lifetime;
    private final long lifetimeMillis;
    private final Consumer<T> onExpiry;
    /** Guarded by this: the ring, {@code size} entries from {@code head}; the capacity is a power of two. */
    private long[] deadlines = new long[MIN_CAPACITY];
    private Object[] entries = new Object[MIN_CAPACITY];
    private int head;
    private int size;
    /** Guarded by this: the timer is set (for the head's deadline, or running). */
    private boolean armed;
    /** Used by the sweep alone: the timer stays armed until a sweep has ended, so sweeps never overlap. */
    private final Object[] expiring = new Object[BATCH];

    /** @param onExpiry runs on the timer thread: short and non-blocking */
    ExpiryQueue(Scheduler scheduler, Duration lifetime, Consumer<T> onExpiry) {
        this.scheduler = scheduler;
        this.lifetime = lifetime;
        this.lifetimeMillis = lifetime.toMillis();
        this.onExpiry = onExpiry;
    }

    /** Adds {@code entry}, to expire one lifetime from now. */
    void add(T entry) {
        synchronized (this) {
            if (size == entries.length) {
                resize(entries.length * 2);
            }
            int tail = (head + size) & (entries.length - 1);
            // read under the lock: deadlines then never decrease along the ring
            deadlines[tail] = scheduler.millis() + lifetimeMillis;
            entries[tail] = entry;
            size++;
            if (armed) {
                return;
            }
            armed = true;
        }
        scheduler.schedule(lifetime, this::sweep);
    }

    /** Entries added and not yet expired. */
    synchronized int size() {
        return size;
    }

    /**
     * Expires every entry due, then arms the timer for the next head, or leaves it unarmed when
     * none is left. Entries leave the ring a batch per lock, so that the threads adding (every
     * answer sent) rarely wait for a sweep; the expiry itself runs outside the lock.
     */
    private void sweep() {
        long now = scheduler.millis();
        long next;
        while (true) {
            int n = 0;
            synchronized (this) {
                while (n < BATCH && size > 0 && deadlines[head] <= now) {
                    expiring[n++] = poll();
                }
            }
            for (int i = 0; i < n; i++) {
                @SuppressWarnings("unchecked")
                T due = (T) expiring[i];
                expiring[i] = null;
                onExpiry.accept(due);
            }
            synchronized (this) {
                if (size == 0) {
                    armed = false; // the next add arms the timer again
                    return;
                }
                next = deadlines[head];
            }
            if (next > now) {
                break;
            }
        }
        // never longer than a lifetime: a wall clock set back must not keep entries (and the heap) longer
        scheduler.schedule(Duration.ofMillis(Math.min(next - now, lifetimeMillis)), this::sweep);
    }

    /** Under the lock, with an entry there. */
    private Object poll() {
        Object due = entries[head];
        entries[head] = null;
        head = (head + 1) & (entries.length - 1);
        size--;
        if (entries.length > MIN_CAPACITY && size < entries.length / 4) {
            resize(entries.length / 2); // after a burst, the arrays do not stay at its size
        }
        return due;
    }

    private void resize(int capacity) {
        long[] d = new long[capacity];
        Object[] e = new Object[capacity];
        int mask = entries.length - 1;
        for (int i = 0; i < size; i++) {
            d[i] = deadlines[(head + i) & mask];
            e[i] = entries[(head + i) & mask];
        }
        deadlines = d;
        entries = e;
        head = 0;
    }
}
