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
    /**
     * Guarded by this. Small: one per transaction, and a transaction queues a callback or two at a
     * time; made when a task first has to wait, since most callbacks run at once ({@link #runHere}).
     */
    private Queue<Runnable> tasks;
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
            delegate.execute(() -> {
                run(task);
                drain();
            });
        } catch (RejectedExecutionException stopped) {
            // the transaction user's executor is shut down (the server is stopping) while a timer of
            // one of its transactions still fired: nobody is left to tell, and that is no fault
            synchronized (this) {
                tasks = null;
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
            run(task);
            drain();
        }
    }

    /**
     * True when nothing was draining: the caller now runs {@code task} and then drains. Else
     * {@code task} is queued behind the others and false returned.
     */
    private synchronized boolean enqueue(Runnable task) {
        if (draining) {
            if (tasks == null) {
                tasks = new ArrayDeque<>(2);
            }
            tasks.add(task);
            return false;
        }
        draining = true;
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks == null ? null : tasks.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            run(next);
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("transaction user callback failed", e);
        }
    }
}
