package org.parley.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wall-clock scheduler: timers on a single daemon thread named {@value #TIMER_THREAD}, whose
 * tasks only change state and hand work on; {@link #later} and {@link #every} run on virtual
 * threads, so that whatever they wait for never holds a retransmission timer up.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    /** The name of the timer thread, for logs and for tests that prove nothing blocks on it. */
    public static final String TIMER_THREAD = "parley-sip-timers";

    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

    private final ScheduledThreadPoolExecutor executor;
    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-scheduled-", 0).factory());

    public SystemScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, TIMER_THREAD);
            t.setDaemon(true);
            return t;
        });
        // Most transaction timers are cancelled long before they fire; keep them out of the queue.
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("timer task failed", e);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Executor workers() {
        return workers;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        workers.shutdownNow();
    }
}
