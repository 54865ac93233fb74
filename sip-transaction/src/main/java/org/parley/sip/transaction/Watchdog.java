package org.parley.sip.transaction;

import java.time.Duration;
import java.util.Collection;

/**
 * The answer deadline of non-INVITE server transactions ({@link TimerSettings#answerDeadline}) as
 * one timer for the whole layer rather than one per transaction: nearly every transaction is
 * answered within milliseconds, and setting and cancelling a 20 s timer for each was a share of
 * every request's cost (issue 13). The timer is armed for the earliest deadline of a transaction
 * still waiting; when it fires it looks at the live transactions once — answering those that
 * are due, each exactly at its deadline — and arms itself again for the earliest left, or not
 * at all when nothing waits. Under steady load that is one sweep per deadline's length.
 */
final class Watchdog {
    private final Scheduler scheduler;
    private final Collection<ServerTransaction> live;
    /** Written under the lock; read without it on every request, which then does nothing. */
    private volatile boolean armed;
    /** Guarded by this. */
    private long armedFor;
    /** Guarded by this. */
    private Cancellable timer;

    Watchdog(Scheduler scheduler, Collection<ServerTransaction> live) {
        this.scheduler = scheduler;
        this.live = live;
    }

    /**
     * A transaction in the table waits for its final response until {@code deadline} (epoch
     * milliseconds). Deadlines are the arrival time plus one constant, so one armed already is
     * never later than this one: nothing to do then.
     */
    void watch(long deadline) {
        if (!armed) {
            arm(deadline);
        }
    }

    private synchronized void arm(long deadline) {
        if (armed && armedFor <= deadline) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        armed = true;
        armedFor = deadline;
        timer = scheduler.schedule(Duration.ofMillis(Math.max(0, deadline - scheduler.millis())), this::sweep);
    }

    private void sweep() {
        synchronized (this) {
            // before looking: a transaction put in the table from here on arms the timer itself
            armed = false;
            timer = null;
        }
        long now = scheduler.millis();
        long next = Long.MAX_VALUE;
        for (ServerTransaction tx : live) {
            if (tx instanceof NonInviteServerTransaction waiting) {
                next = Math.min(next, waiting.watchdog(now));
            }
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }
}
