package org.parley.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executor;

/**
 * The one source of time for every module: every timer, every "now" and every piece of periodic
 * or delayed work comes from here, so that tests drive all of it with {@link ManualScheduler}
 * instead of waiting.
 *
 * <p>Two kinds of work, kept apart so that a slow store never delays a retransmission:
 * {@link #schedule} runs on the timer thread and is for short, non-blocking state changes (the
 * RFC 3261 timers); {@link #later} and {@link #every} hand the work to a thread of its own and
 * are for anything that may block (a database, a presence composition, sending a NOTIFY).
 */
public interface Scheduler extends InstantSource {

    /** The current instant, the same as {@link #instant()}. */
    default Instant now() {
        return instant();
    }

    /** Runs {@code task} once after {@code delay} on the timer thread. Tasks must be short and never block. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Where {@link #later} and {@link #every} run their tasks: virtual threads, or the test's own thread. */
    Executor workers();

    /** Runs {@code task} once after {@code delay}, off the timer thread: it may block. */
    default Cancellable later(Duration delay, Runnable task) {
        return PeriodicTask.once(this, delay, task);
    }

    /**
     * Runs {@code task} every {@code period} (the first time one period from now), off the timer
     * thread. A run never overlaps the one before: the next period starts when a run ends, so a
     * slow store stretches the interval instead of piling runs up.
     */
    default Cancellable every(Duration period, Runnable task) {
        return PeriodicTask.repeating(this, period, task);
    }
}
