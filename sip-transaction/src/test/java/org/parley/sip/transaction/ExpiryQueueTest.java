package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 3261 §17.1.2.2 Timer K, §17.2.2 Timer J: entries of one lifetime expire in arrival order, each at its own deadline, on one timer")
class ExpiryQueueTest {
    record Expired(int entry, Instant at) {
    }

    final ManualScheduler scheduler = new ManualScheduler();
    final Instant start = scheduler.now();
    final List<Expired> expired = new ArrayList<>();
    final ExpiryQueue<Integer> queue =
            new ExpiryQueue<>(scheduler, Duration.ofSeconds(32), e -> expired.add(new Expired(e, scheduler.now())));

    @Test
    @DisplayName("§17.2.2: each entry expires exactly one lifetime after it came, however many wait, with one timer set")
    void eachAtItsDeadlineOnOneTimer() {
        // more than the ring's first capacity, added while earlier ones expire: the ring wraps, grows and shrinks
        int n = 1000;
        for (int i = 0; i < n; i++) {
            queue.add(i);
            assertThat(scheduler.pending()).isEqualTo(1);
            scheduler.advance(Duration.ofMillis(37));
        }
        scheduler.advance(Duration.ofSeconds(32));

        assertThat(expired).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(expired.get(i)).isEqualTo(new Expired(i, start.plusMillis(37L * i).plusSeconds(32)));
        }
        assertThat(queue.size()).isZero();
        assertThat(scheduler.pending()).as("nothing left: no timer").isZero();
    }

    @Test
    @DisplayName("§17.2.2: entries added at one instant expire together, in the order they came; none a millisecond early")
    void sameInstantInArrivalOrder() {
        for (int i = 0; i < 600; i++) { // more than one sweep batch
            queue.add(i);
        }
        scheduler.advance(Duration.ofMillis(31_999));
        assertThat(expired).isEmpty();
        assertThat(queue.size()).isEqualTo(600);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(expired).extracting(Expired::entry).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 600).boxed().toList());

        queue.add(7); // after a sweep left it empty, the next entry arms the timer again
        assertThat(scheduler.pending()).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(32));
        assertThat(expired).last().isEqualTo(new Expired(7, start.plusSeconds(64)));
    }
}
