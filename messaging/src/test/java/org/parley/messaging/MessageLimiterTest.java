package org.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.messaging.store.Limits;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("MO-2, PP2-17, PP2-18: the limiter counts submissions per minute, per day and server-wide")
class MessageLimiterTest {
    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00.250Z");

    private static Limits limits(int perMinute, int perDay, long bytesPerDay) {
        return new Limits(0, perMinute, perDay, bytesPerDay, Set.of(), 100, 1 << 20);
    }

    @Test
    @DisplayName("PP2-17: the rate per minute refuses the next one with the wait until the oldest leaves the window")
    void ratePerMinute() {
        MessageLimiter limiter = new MessageLimiter(0);
        Limits two = limits(2, 0, 0);
        assertThat(limiter.admit("alice", 10, two, NOON)).isEmpty();
        assertThat(limiter.admit("alice", 10, two, NOON.plusSeconds(20))).isEmpty();
        Optional<MessageLimiter.Refusal> third = limiter.admit("alice", 10, two, NOON.plusSeconds(30));
        assertThat(third).hasValueSatisfying(r -> {
            assertThat(r.systemWide()).isFalse();
            assertThat(r.reason()).isEqualTo("Message rate limit reached (2 per minute)");
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(limiter.admit("bob", 10, two, NOON.plusSeconds(30))).as("each account its own").isEmpty();
        // exactly a minute after the first it still counts; a nanosecond later it has left the window
        assertThat(limiter.admit("alice", 10, two, NOON.plusSeconds(60))).isPresent();
        assertThat(limiter.admit("alice", 10, two, NOON.plusSeconds(60).plusNanos(1))).isEmpty();
    }

    @Test
    @DisplayName("PP2-17: a submission made while the account had no limit counts once a limit is set")
    void unlimitedSubmissionsAreCounted() {
        MessageLimiter limiter = new MessageLimiter(0);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit("alice", 10, limits(0, 0, 0), NOON.plusSeconds(i))).isEmpty();
        }
        assertThat(limiter.admit("alice", 10, limits(3, 0, 0), NOON.plusSeconds(5))).isPresent();
        assertThat(limiter.admit("alice", 10, limits(0, 4, 0), NOON.plusSeconds(5))).isEmpty();
        assertThat(limiter.admit("alice", 10, limits(0, 4, 0), NOON.plusSeconds(6))).isPresent();
    }

    @Test
    @DisplayName("PP2-17: the daily messages and bytes refuse until midnight UTC, and count again from zero the next day")
    void dailyVolume() {
        MessageLimiter limiter = new MessageLimiter(0);
        Limits daily = limits(0, 2, 100);
        assertThat(limiter.admit("alice", 60, daily, NOON)).isEmpty();
        Optional<MessageLimiter.Refusal> bytes = limiter.admit("alice", 41, daily, NOON.plusSeconds(1));
        assertThat(bytes).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("Daily message volume reached (100 bytes)");
            assertThat(r.retryAfter()).isEqualTo(Duration.between(NOON.plusSeconds(1), Instant.parse("2026-12-08T00:00:00Z")));
        });
        assertThat(limiter.admit("alice", 40, daily, NOON.plusSeconds(2))).as("a refusal is not counted").isEmpty();
        assertThat(limiter.admit("alice", 0, daily, NOON.plusSeconds(3)))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("Daily message limit reached (2)"));
        Instant tomorrow = Instant.parse("2026-12-08T00:00:00Z");
        assertThat(limiter.admit("alice", 100, daily, tomorrow.minusNanos(1))).isPresent();
        assertThat(limiter.admit("alice", 100, daily, tomorrow)).isEmpty();
    }

    @Test
    @DisplayName("PP2-18: the server-wide cap per second answers for everyone, and a second later lets through again")
    void systemCap() {
        MessageLimiter limiter = new MessageLimiter(2);
        Limits none = limits(0, 0, 0);
        assertThat(limiter.admit("alice", 1, none, NOON)).isEmpty();
        assertThat(limiter.admit("bob", 1, none, NOON.plusMillis(500))).isEmpty();
        assertThat(limiter.admit("carol", 1, none, NOON.plusMillis(900))).hasValueSatisfying(r -> {
            assertThat(r.systemWide()).isTrue();
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(limiter.admit("carol", 1, none, NOON.plusMillis(1001))).isEmpty();
    }
}
