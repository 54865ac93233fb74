package org.parley.sip.transaction;

import java.time.Duration;
import java.time.Instant;

/**
 * The one source of time for the transaction layer: every timer and every "now" comes from here,
 * so that tests can drive RFC 3261 timers with {@link ManualScheduler} instead of waiting.
 */
public interface Scheduler {
    Instant now();

    /** Runs {@code task} once after {@code delay}. Tasks must be short: they share one thread. */
    Cancellable schedule(Duration delay, Runnable task);
}
