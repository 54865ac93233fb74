package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 3261 §17 timers: ManualScheduler: due tasks run in time order with now() at their due time")
class ManualSchedulerTest {
    final ManualScheduler scheduler = new ManualScheduler(Instant.EPOCH);
    final List<String> ran = new ArrayList<>();

    void log(String name) {
        ran.add(name + "@" + scheduler.now().toEpochMilli());
    }

    @Test
    void runsDueTasksInOrderIncludingOnesScheduledOnTheWay() {
        scheduler.schedule(Duration.ofSeconds(2), () -> log("b"));
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            log("a");
            scheduler.schedule(Duration.ofMillis(500), () -> log("a2"));
        });
        scheduler.schedule(Duration.ofSeconds(2), () -> log("c"));
        scheduler.schedule(Duration.ofSeconds(9), () -> log("late"));
        Cancellable gone = scheduler.schedule(Duration.ofSeconds(1), () -> log("cancelled"));
        gone.cancel();

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(ran).containsExactly("a@1000", "a2@1500", "b@2000", "c@2000");
        assertThat(scheduler.now()).isEqualTo(Instant.EPOCH.plusSeconds(3));
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    @DisplayName("Issue 14 §2: every() repeats once per period, each run one period after the last ended, until cancelled")
    void everyRepeatsUntilCancelled() {
        Cancellable sweep = scheduler.every(Duration.ofSeconds(30), () -> log("sweep"));
        scheduler.advance(Duration.ofSeconds(95));
        assertThat(ran).containsExactly("sweep@30000", "sweep@60000", "sweep@90000");

        sweep.cancel();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(ran).hasSize(3);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    @DisplayName("Issue 14 §2: a failing run of every() does not end the repetition")
    void everySurvivesAFailingRun() {
        scheduler.every(Duration.ofSeconds(1), () -> {
            log("run");
            throw new IllegalStateException("the store is down");
        });
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(ran).containsExactly("run@1000", "run@2000", "run@3000");
    }

    @Test
    @DisplayName("Issue 14 §2: later() runs once at its due time, on the thread that advances the clock; cancel withdraws it")
    void laterRunsOnceUnlessCancelled() {
        Thread test = Thread.currentThread();
        scheduler.later(Duration.ofSeconds(2), () -> {
            assertThat(Thread.currentThread()).isSameAs(test);
            log("later");
        });
        scheduler.later(Duration.ofSeconds(1), () -> log("withdrawn")).cancel();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly("later@2000");
        assertThat(scheduler.instant()).isEqualTo(scheduler.now());
    }
}
