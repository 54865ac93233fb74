package org.parley.messaging.store;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.parley.accounts.Page;

/**
 * Group commit for usage records: every caller still returns only once its record is committed
 * (nothing acknowledged is lost), but the records of all callers waiting at that moment share
 * one transaction, so a busy server pays one flush to disk per batch instead of one per event.
 */
public final class GroupCommitUsageLog implements UsageLog, AutoCloseable {
    private static final int MAX_BATCH = 500;

    private record Pending(UsageRecord record, CompletableFuture<Void> done) {
    }

    private final JdbiUsageLog delegate;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;

    public GroupCommitUsageLog(JdbiUsageLog delegate) {
        this.delegate = delegate;
        this.writer = Thread.ofPlatform().daemon().name("usage-group-commit").start(this::run);
    }

    @Override
    public void record(UsageRecord record) {
        if (!open) {
            delegate.record(record);
            return;
        }
        Pending p = new Pending(record, new CompletableFuture<>());
        queue.add(p);
        p.done().join();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                delegate.recordAll(batch.stream().map(Pending::record).toList());
                batch.forEach(p -> p.done().complete(null));
            } catch (RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    @Override
    public Page<UsageRecord> list(UsageQuery query, int offset, int limit) {
        return delegate.list(query, offset, limit);
    }

    @Override
    public void export(UsageQuery query, Writer out) throws IOException {
        delegate.export(query, out);
    }

    /** Stops taking new records into batches; what is queued is still written. */
    @Override
    public void close() {
        open = false;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a record queued while the writer was ending is written here, so no caller waits for ever
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            try {
                delegate.record(p.record());
                p.done().complete(null);
            } catch (RuntimeException e) {
                p.done().completeExceptionally(e);
            }
        }
    }
}
