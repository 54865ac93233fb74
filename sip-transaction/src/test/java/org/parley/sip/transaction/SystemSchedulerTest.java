package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 3261 §17.1.2.2, §17.2.2 (timers E, F, J), issue 14 §2: blocking work never runs on the SIP timer thread")
class SystemSchedulerTest {
    final SystemScheduler scheduler = new SystemScheduler();

    @AfterEach
    void close() {
        scheduler.close();
    }

    @Test
    @DisplayName("timers run on the named timer thread; later() and every() on virtual threads")
    void workRunsOffTheTimerThread() throws InterruptedException {
        AtomicReference<Thread> timer = new AtomicReference<>();
        AtomicReference<Thread> later = new AtomicReference<>();
        AtomicReference<Thread> every = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(3);
        scheduler.schedule(Duration.ofMillis(1), () -> {
            timer.set(Thread.currentThread());
            done.countDown();
        });
        scheduler.later(Duration.ofMillis(1), () -> {
            later.set(Thread.currentThread());
            done.countDown();
        });
        Cancellable periodic = scheduler.every(Duration.ofMillis(1), () -> {
            if (every.compareAndSet(null, Thread.currentThread())) {
                done.countDown();
            }
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        periodic.cancel();

        assertThat(timer.get().getName()).isEqualTo(SystemScheduler.TIMER_THREAD);
        assertThat(later.get().isVirtual()).isTrue();
        assertThat(every.get().isVirtual()).isTrue();
        assertThat(later.get().getName()).isNotEqualTo(SystemScheduler.TIMER_THREAD);
    }

    @Test
    @DisplayName("§17.1.2.2: a timer on the wheel fires no earlier than asked and within a few ticks; a cancelled one never")
    void wheelTimersFireOnTimeAndCancelledOnesNever() throws InterruptedException {
        AtomicInteger cancelledRuns = new AtomicInteger();
        Cancellable withdrawn = scheduler.schedule(Duration.ofMillis(30), cancelledRuns::incrementAndGet);
        withdrawn.cancel();
        long start = System.nanoTime();
        AtomicReference<Long> firedAfter = new AtomicReference<>();
        CountDownLatch fired = new CountDownLatch(1);
        scheduler.schedule(Duration.ofMillis(100), () -> {
            firedAfter.set(System.nanoTime() - start);
            fired.countDown();
        });
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(firedAfter.get()).as("never early").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        // a tick is 10 ms; the bound leaves room for a loaded machine, far below T1 = 500 ms
        assertThat(firedAfter.get()).as("late by a few ticks at most").isLessThan(TimeUnit.MILLISECONDS.toNanos(400));
        assertThat(cancelledRuns.get()).isZero();
    }

    @Test
    @DisplayName("a failing timer task is logged and the timer thread goes on")
    void failingTaskDoesNotStopTheWheel() throws InterruptedException {
        scheduler.schedule(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("a bug in a timer task");
        });
        CountDownLatch next = new CountDownLatch(1);
        scheduler.schedule(Duration.ofMillis(20), next::countDown);
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("a slow periodic task (a store that hangs) does not hold a retransmission timer up")
    void slowWorkDoesNotDelayTimers() throws InterruptedException {
        CountDownLatch storeEntered = new CountDownLatch(1);
        CountDownLatch releaseStore = new CountDownLatch(1);
        Cancellable sweep = scheduler.every(Duration.ofMillis(5), () -> {
            storeEntered.countDown();
            try {
                releaseStore.await(); // the database does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(storeEntered.await(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch retransmitted = new CountDownLatch(1);
            scheduler.schedule(Duration.ofMillis(10), retransmitted::countDown);
            assertThat(retransmitted.await(2, TimeUnit.SECONDS)).as("timer fired while the store hangs").isTrue();
        } finally {
            releaseStore.countDown();
            sweep.cancel();
        }
    }

    @Test
    @DisplayName("runs of every() never overlap: a slow run stretches the interval")
    void runsNeverOverlap() throws InterruptedException {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch runs = new CountDownLatch(5);
        Cancellable periodic = scheduler.every(Duration.ofMillis(1), () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            runs.countDown();
        });
        assertThat(runs.await(5, TimeUnit.SECONDS)).isTrue();
        periodic.cancel();
        assertThat(most.get()).isEqualTo(1);
    }
}
