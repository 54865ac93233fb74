package org.parley.sip.transaction;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wall-clock scheduler: timers on a single daemon thread named {@value #TIMER_THREAD}, whose
 * tasks only change state and hand work on; {@link #later} and {@link #every} run on virtual
 * threads, so that whatever they wait for never holds a retransmission timer up.
 *
 * <p>The timers sit on a hashed wheel (Netty's {@link HashedWheelTimer}, {@value #TICK_MS} ms a
 * tick): every transaction sets and cancels several of them, nearly all cancelled long before they
 * fire, and on a wheel both are O(1) — a delay queue pays O(log n) for each and its cancelled
 * futures sat in its heap until removed (issue 13: 3 % of the MESSAGE profile). A timer fires up
 * to one tick late, never early; RFC 3261's shortest timer is T1 = 500 ms, and a retransmission
 * 10 ms late is well inside what T1 (an estimate of the round trip) allows.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    /** The name of the timer thread, for logs and for tests that prove nothing blocks on it. */
    public static final String TIMER_THREAD = "parley-sip-timers";

    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);
    private static final long TICK_MS = 10;
    /** 512 ticks: one turn of the wheel is 5.12 s, so T1..T4 need no extra turns; 32 s timers take seven. */
    private static final int WHEEL_SIZE = 512;

    private final HashedWheelTimer wheel = new HashedWheelTimer(r -> {
        Thread t = new Thread(r, TIMER_THREAD);
        t.setDaemon(true);
        return t;
    }, TICK_MS, TimeUnit.MILLISECONDS, WHEEL_SIZE);
    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-scheduled-", 0).factory());

    @Override
    public Instant instant() {
        return Instant.now();
    }

    /** Without an {@link Instant}: the watchdog reads the clock once per transaction. */
    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Entry entry = new Entry(task);
        entry.timeout = wheel.newTimeout(entry, delay.toNanos(), TimeUnit.NANOSECONDS);
        return entry;
    }

    @Override
    public Executor workers() {
        return workers;
    }

    @Override
    public void close() {
        wheel.stop();
        workers.shutdownNow();
    }

    /** One timer: the wheel's task and the caller's handle in one object. */
    private static final class Entry implements TimerTask, Cancellable {
        private final Runnable task;
        private volatile Timeout timeout;

        Entry(Runnable task) {
            this.task = task;
        }

        @Override
        public void run(Timeout fired) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("timer task failed", e);
            }
        }

        @Override
        public void cancel() {
            Timeout t = timeout;
            if (t != null) {
                t.cancel();
            }
        }
    }
}
