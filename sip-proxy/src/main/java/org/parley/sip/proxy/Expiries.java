package org.parley.sip.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;

/**
 * When each subscription of a {@link Notifier} ends: one queue ordered by expiry and one timer for
 * the earliest, instead of a timer per subscription (a scheduled task is a few hundred bytes, and
 * a server holds hundreds of thousands of subscriptions). A dialog closed before its time (a
 * refresh, an unsubscribe) stays in the queue, marked, until it comes up or the queue is
 * compacted — when more are closed than live — so a closed one costs a slot for a while, never
 * more than the live ones together. Expired dialogs are told outside this index's lock: their
 * owners take their own lock, and also call in here under it.
 */
final class Expiries {
    private final Scheduler scheduler;
    private final PriorityQueue<NotifierDialog> queue = new PriorityQueue<>(Comparator.comparingLong(NotifierDialog::expiresAt));
    private int closedInQueue;
    private Cancellable timer;
    private long armedFor = Long.MAX_VALUE;

    Expiries(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    synchronized void add(NotifierDialog d) {
        queue.add(d);
        if (d.expiresAt() < armedFor) {
            arm(d.expiresAt());
        }
    }

    synchronized void closed(NotifierDialog d) {
        if (d.expiresAt() <= scheduler.now().toEpochMilli()) {
            return; // taken out when it came up (its owner closes it as it ends)
        }
        closedInQueue++;
        if (closedInQueue > 1024 && closedInQueue > queue.size() / 2) {
            queue.removeIf(NotifierDialog::closed);
            closedInQueue = 0;
        }
    }

    /** Subscriptions in the index, closed ones not yet dropped included. */
    synchronized int size() {
        return queue.size();
    }

    private void arm(long at) {
        if (timer != null) {
            timer.cancel();
        }
        armedFor = at;
        Duration delay = Duration.between(scheduler.now(), Instant.ofEpochMilli(at));
        timer = scheduler.later(delay.isNegative() ? Duration.ZERO : delay, this::fire);
    }

    private void fire() {
        List<NotifierDialog> due = new ArrayList<>();
        synchronized (this) {
            long now = scheduler.now().toEpochMilli();
            while (!queue.isEmpty() && queue.peek().expiresAt() <= now) {
                NotifierDialog d = queue.poll();
                if (d.closed()) {
                    closedInQueue = Math.max(0, closedInQueue - 1);
                } else {
                    due.add(d);
                }
            }
            timer = null;
            armedFor = Long.MAX_VALUE;
            if (!queue.isEmpty()) {
                arm(queue.peek().expiresAt());
            }
        }
        due.forEach(NotifierDialog::expire);
    }
}
