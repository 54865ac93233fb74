package org.parley.sip.transaction;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after another on a delegate executor: with one virtual thread per task, a 180
 * and a 200 of the same transaction would otherwise reach the TU in either order.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    /** Small: one per transaction, and a transaction queues a callback or two at a time. */
    private final Queue<Runnable> tasks = new ArrayDeque<>(2);
    private boolean draining;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        if (!enqueue(task)) {
            return;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            // the transaction user's executor is shut down (the server is stopping) while a timer of
            // one of its transactions still fired: nobody is left to tell, and that is no fault
            synchronized (this) {
                tasks.clear();
                draining = false;
            }
            LOG.debug("transaction callback dropped: the transaction user has stopped");
        }
    }

    /**
     * Runs {@code task} on the calling thread when nothing of this transaction is queued or running
     * (and then whatever it queues meanwhile), else queues it behind them as {@link #execute} does.
     * For a caller that may block, i.e. on a virtual thread of its own.
     */
    void runHere(Runnable task) {
        if (enqueue(task)) {
            drain();
        }
    }

    /** Queues {@code task}; true when nothing was draining, and the caller now must. */
    private synchronized boolean enqueue(Runnable task) {
        tasks.add(task);
        if (draining) {
            return false;
        }
        draining = true;
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("transaction user callback failed", e);
            }
        }
    }
}
