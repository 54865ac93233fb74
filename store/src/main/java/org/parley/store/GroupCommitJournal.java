package org.parley.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records written in batches by one writer thread: the records of many requests share one
 * transaction (one commit, one flush to disk) instead of costing a database round trip each. The
 * one group-commit engine of the server's append-only logs (usage records, auth attempts).
 *
 * <p>With a flush window of zero every {@link #append} returns only once its record is committed
 * (nothing acknowledged is ever lost). With a window {@code w > 0} a record is queued and the
 * caller goes on at once: the request path does no database work, and a crash (kill -9, power)
 * loses at most the records of the last {@code w} (plus the batch being written). A clean stop
 * ({@link #close}) writes everything queued first. Readers call {@link #flush} first, so that they
 * never miss a record that was already made.
 *
 * <p>The queue is bounded: when the database falls behind, callers wait for room (backpressure)
 * rather than records being dropped. A batch the database refuses is retried record by record, so
 * one unwritable record (logged) cannot hold up the others for ever.
 *
 * @param <T> the record
 */
public final class GroupCommitJournal<T> implements AutoCloseable {
    /** Where the records go: a batch in one transaction, one alone, and whether the database answers at all. */
    public interface Sink<T> {
        void writeAll(List<T> batch);

        void write(T record);

        /** True when a trivial read works, i.e. a failing insert is the record's fault and not the database's. */
        boolean reachable();
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);
    private static final int MAX_BATCH = 1000;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration READER_PATIENCE = Duration.ofSeconds(30);

    private final String name;
    private final Sink<T> sink;
    private final long windowNanos;
    private final int capacity;
    /** A batch this big is written at once: the largest batch, or a full queue. */
    private final int fullBatch;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a batch is worth writing now: full, a reader or a zero-window caller waiting, closing. */
    private final Condition work = lock.newCondition();
    /** Signalled after every batch: waiting callers and readers check how far the writer got. */
    private final Condition written = lock.newCondition();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    /** Records ever queued and ever settled (committed, or given up as unwritable); guarded by {@link #lock}. */
    private long queued;
    private long settled;
    private int waiters;
    private boolean open = true;
    private final Thread writer;

    /**
     * @param name        names the writer thread and the log lines ("usage records")
     * @param flushWindow how long a record may wait before its batch is committed; zero: callers wait for it
     * @param capacity    records queued at most; beyond it callers wait for the database
     */
    public GroupCommitJournal(String name, Sink<T> sink, Duration flushWindow, int capacity) {
        if (flushWindow.isNegative() || capacity < 1) {
            throw new IllegalArgumentException("a flush window of at least zero and a positive capacity are needed");
        }
        this.name = name;
        this.sink = sink;
        this.windowNanos = flushWindow.toNanos();
        this.capacity = capacity;
        this.fullBatch = Math.min(MAX_BATCH, capacity);
        this.writer = Thread.ofPlatform().daemon().name(name.replace(' ', '-') + "-group-commit").start(this::run);
    }

    public void append(T record) {
        lock.lock();
        try {
            if (!open) {
                sink.write(record);
                return;
            }
            while (queue.size() >= capacity && open) {
                work.signal();
                written.awaitUninterruptibly();
            }
            queue.add(record);
            long mine = ++queued;
            // the first record starts the writer's window; a full batch ends it early
            if (queue.size() == 1 || queue.size() >= fullBatch) {
                work.signal();
            }
            if (windowNanos == 0) {
                awaitSettled(mine, null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits (lock held) until the writer settled record number {@code sequence}; a zero window waits for ever. */
    private void awaitSettled(long sequence, Duration patience) {
        waiters++;
        try {
            work.signal();
            long left = patience == null ? 0 : patience.toNanos();
            while (settled < sequence) {
                if (patience == null) {
                    written.awaitUninterruptibly();
                    continue;
                }
                if (left <= 0) {
                    throw new IllegalStateException(name + " not written within " + patience.toSeconds()
                            + " s; the database is not keeping up");
                }
                left = written.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to be written", e);
        } finally {
            waiters--;
        }
    }

    /** Returns once every record made before the call is in the database. */
    public void flush() {
        lock.lock();
        try {
            awaitSettled(queued, READER_PATIENCE);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<T> batch = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                if (!nextBatch(batch)) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            write(batch);
            lock.lock();
            try {
                settled += batch.size();
                written.signalAll();
            } finally {
                lock.unlock();
            }
            batch.clear();
        }
    }

    /**
     * Waits (lock held) for a batch worth writing and moves it into {@code batch}: the window has
     * passed since the writer last looked, or the batch (or the queue) is full, or somebody waits for it.
     *
     * @return false when closed and nothing is left
     */
    private boolean nextBatch(List<T> batch) {
        long deadline = System.nanoTime() + windowNanos;
        while (queue.isEmpty() || (open && waiters == 0 && queue.size() < fullBatch
                && deadline - System.nanoTime() > 0)) {
            if (queue.isEmpty() && !open) {
                return false;
            }
            if (queue.isEmpty()) {
                work.awaitUninterruptibly();
                deadline = System.nanoTime() + windowNanos;
            } else {
                try {
                    work.awaitNanos(deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    // only close() interrupts, and it also clears open: the loop ends on its own
                }
            }
        }
        for (int i = 0; i < MAX_BATCH && !queue.isEmpty(); i++) {
            batch.add(queue.poll());
        }
        return true;
    }

    /** Writes the batch in one transaction; on failure record by record, retrying until the database is back. */
    private void write(List<T> batch) {
        try {
            sink.writeAll(batch);
            return;
        } catch (RuntimeException e) {
            LOG.warn("writing {} {} in one transaction failed, writing them one by one: {}",
                    batch.size(), name, e.toString());
        }
        for (T r : batch) {
            for (int attempt = 1; ; attempt++) {
                try {
                    sink.write(r);
                    break;
                } catch (RuntimeException e) {
                    if (attempt >= 3 && !reachable()) {
                        attempt = 0; // the database is down: keep the record and wait, however long it takes
                    } else if (attempt >= 3) {
                        LOG.error("one of the {} could not be written and is dropped: {}", name, r, e);
                        break;
                    }
                    pause();
                }
            }
        }
    }

    private boolean reachable() {
        try {
            return sink.reachable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            TimeUnit.NANOSECONDS.sleep(RETRY.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes everything queued, then stops the writer; a record made afterwards is written directly. */
    @Override
    public void close() {
        lock.lock();
        try {
            open = false;
            work.signalAll();
            written.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
