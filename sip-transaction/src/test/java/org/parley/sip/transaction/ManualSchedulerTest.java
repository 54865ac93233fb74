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
}
