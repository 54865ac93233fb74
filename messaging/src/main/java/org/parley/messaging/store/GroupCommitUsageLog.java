package org.parley.messaging.store;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.accounts.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage records written in batches by one writer thread: the records of many requests share one
 * transaction (one commit, one flush to disk) instead of costing a database round trip each.
 *
 * <p>With a flush window of zero every {@link #record} returns only once its record is committed
 * (nothing acknowledged is ever lost). With a window {@code w > 0} a record is queued and the
 * caller goes on at once: the request path does no database work, and a crash (kill -9, power)
 * loses at most the records of the last {@code w} (plus the batch being written). A clean stop
 * ({@link #close}) writes everything queued first. Readers ({@link #list}, {@link #export}) wait for
 * what was recorded before them, so an operator never misses a record that was already made.
 *
 * <p>The queue is bounded: when the database falls behind, callers wait for room (backpressure)
 * rather than records being dropped. A batch the database refuses is retried record by record, so
 * one unwritable record (logged) cannot hold up the others for ever.
 */
public final class GroupCommitUsageLog implements UsageLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitUsageLog.class);
    private static final int MAX_BATCH = 1000;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration READER_PATIENCE = Duration.ofSeconds(30);

    private final JdbiUsageLog delegate;
    private final long windowNanos;
    private final int capacity;
    /** A batch this big is written at once: the largest batch, or a full queue. */
    private final int fullBatch;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a batch is worth writing now: full, a reader or a zero-window caller waiting, closing. */
    private final Condition work = lock.newCondition();
    /** Signalled after every batch: waiting callers and readers check how far the writer got. */
    private final Condition written = lock.newCondition();
    private final ArrayDeque<UsageRecord> queue = new ArrayDeque<>();
    /** Records ever queued and ever settled (committed, or given up as unwritable); guarded by {@link #lock}. */
    private long queued;
    private long settled;
    private int waiters;
    private boolean open = true;
    private final Thread writer;

    public GroupCommitUsageLog(JdbiUsageLog delegate, UsageJournalSettings settings) {
        this.delegate = delegate;
        this.windowNanos = settings.flushWindow().toNanos();
        this.capacity = settings.capacity();
        this.fullBatch = Math.min(MAX_BATCH, capacity);
        this.writer = Thread.ofPlatform().daemon().name("usage-group-commit").start(this::run);
    }

    @Override
    public void record(UsageRecord record) {
        lock.lock();
        try {
            if (!open) {
                delegate.record(record);
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
                    throw new IllegalStateException("usage records not written within " + patience.toSeconds()
                            + " s; the database is not keeping up");
                }
                left = written.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for usage records to be written", e);
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
        List<UsageRecord> batch = new ArrayList<>();
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
    private boolean nextBatch(List<UsageRecord> batch) {
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
    private void write(List<UsageRecord> batch) {
        try {
            delegate.recordAll(batch);
            return;
        } catch (RuntimeException e) {
            LOG.warn("writing {} usage records in one transaction failed, writing them one by one: {}",
                    batch.size(), e.toString());
        }
        for (UsageRecord r : batch) {
            for (int attempt = 1; ; attempt++) {
                try {
                    delegate.record(r);
                    break;
                } catch (RuntimeException e) {
                    if (attempt >= 3 && !databaseReachable()) {
                        attempt = 0; // the database is down: keep the record and wait, however long it takes
                    } else if (attempt >= 3) {
                        LOG.error("usage record could not be written and is dropped: {}", r, e);
                        break;
                    }
                    pause();
                }
            }
        }
    }

    /** True when a trivial read works, i.e. a failing insert is the record's fault and not the database's. */
    private boolean databaseReachable() {
        try {
            delegate.list(UsageQuery.ALL, 0, 1);
            return true;
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

    @Override
    public Page<UsageRecord> list(UsageQuery query, int offset, int limit) {
        flush();
        return delegate.list(query, offset, limit);
    }

    @Override
    public void export(UsageQuery query, Writer out) throws IOException {
        flush();
        delegate.export(query, out);
    }

    /** The records with {@code address} as sender or recipient, those still queued included (PP2-5). */
    public List<UsageRecord> concerning(String address) {
        flush();
        return delegate.concerning(address);
    }

    /**
     * Pseudonymises {@code address} in every record (account deletion), those still queued included:
     * nothing written afterwards may name the deleted account.
     */
    public int pseudonymise(String address, String pseudonym) {
        flush();
        return delegate.pseudonymise(address, pseudonym);
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
