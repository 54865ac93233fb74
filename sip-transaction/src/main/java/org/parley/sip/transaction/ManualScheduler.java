package org.parley.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;

/**
 * A scheduler whose clock moves only when told to, for tests in any module: {@link #advance}
 * runs the due tasks in time order (tasks at the same instant in the order they were scheduled),
 * with {@link #now()} set to each task's due time while it runs. {@link #later} and
 * {@link #every} run on the thread that advances the clock, so a test sees their effects when
 * {@code advance} returns.
 */
public final class ManualScheduler implements Scheduler {
    private record Task(Instant due, long sequence, Runnable body) {
    }

    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::sequence));
    private Instant now;
    private long sequence;

    public ManualScheduler() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    public ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public Executor workers() {
        return Runnable::run;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
        queue.add(t);
        return () -> {
            synchronized (this) {
                queue.remove(t);
            }
        };
    }

    /** Moves the clock forward, running every task that falls due on the way, including ones they schedule. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due().isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due();
            }
            next.body().run(); // outside the lock: tasks schedule and cancel tasks
        }
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public synchronized int pending() {
        return queue.size();
    }
}
