package org.parley.sip.transaction;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that a {@link Scheduler}'s timer only starts: when due, the task goes to the scheduler's
 * workers and the timer thread is free at once. A repeating task is armed again when its run
 * ends. Cancelling stops what has not started; a run under way finishes.
 */
final class PeriodicTask implements Cancellable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

    private final Scheduler scheduler;
    private final Duration period;
    private final Runnable task;
    private final boolean repeat;
    /** Guarded by this. */
    private Cancellable timer;
    /** Guarded by this. */
    private boolean cancelled;

    private PeriodicTask(Scheduler scheduler, Duration period, Runnable task, boolean repeat) {
        if (repeat && (period.isNegative() || period.isZero())) {
            throw new IllegalArgumentException("a period must be positive: " + period);
        }
        this.scheduler = scheduler;
        this.period = period;
        this.task = task;
        this.repeat = repeat;
    }

    static Cancellable once(Scheduler scheduler, Duration delay, Runnable task) {
        return new PeriodicTask(scheduler, delay, task, false).arm();
    }

    static Cancellable repeating(Scheduler scheduler, Duration period, Runnable task) {
        return new PeriodicTask(scheduler, period, task, true).arm();
    }

    private synchronized PeriodicTask arm() {
        if (!cancelled) {
            timer = scheduler.schedule(period, () -> scheduler.workers().execute(this::run));
        }
        return this;
    }

    private void run() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("scheduled task failed", e);
        } finally {
            if (repeat) {
                arm();
            }
        }
    }

    @Override
    public synchronized void cancel() {
        cancelled = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
