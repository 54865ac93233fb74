package org.parley.registrar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GS-4, PP2-3: BruteForceGuard slows, then blocks, a guessing source")
class BruteForceGuardTest {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final Duration BLOCK = Duration.ofMinutes(15);
    static final String A = "198.51.100.7";
    static final String B = "203.0.113.9";

    /** Delayed from the 3rd failure on, blocked at the 6th. */
    final BruteForceGuard guard = new BruteForceGuard(3, 6, WINDOW, BLOCK);

    private void fail(String source, int times, Instant at) {
        for (int i = 0; i < times; i++) {
            guard.failure(source, at);
        }
    }

    private static BruteForceGuard.Verdict delay(long seconds) {
        return new BruteForceGuard.Verdict(false, Duration.ofSeconds(seconds));
    }

    private static final BruteForceGuard.Verdict PASS = new BruteForceGuard.Verdict(false, Duration.ZERO);
    private static final BruteForceGuard.Verdict BLOCKED = new BruteForceGuard.Verdict(true, Duration.ZERO);

    @Test
    @DisplayName("an unknown source and one below the threshold pass undelayed")
    void belowThreshold() {
        assertThat(guard.verdict(A, T0)).isEqualTo(PASS);
        fail(A, 2, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(PASS);
    }

    @Test
    @DisplayName("from delayAfter failures on each answer is delayed, doubling: 1 s, 2 s, 4 s")
    void delayGrows() {
        fail(A, 3, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(delay(1));
        fail(A, 1, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(delay(2));
        fail(A, 1, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(delay(4));
    }

    @Test
    @DisplayName("the delay never exceeds 8 s")
    void delayCapped() {
        BruteForceGuard lenient = new BruteForceGuard(1, 1000, WINDOW, BLOCK);
        long[] expected = {1, 2, 4, 8, 8, 8};
        for (int i = 0; i < expected.length; i++) {
            lenient.failure(A, T0);
            assertThat(lenient.verdict(A, T0)).as("after %d failures", i + 1).isEqualTo(delay(expected[i]));
        }
        for (int i = 0; i < 100; i++) {
            lenient.failure(A, T0);
        }
        assertThat(lenient.verdict(A, T0)).isEqualTo(delay(8));
    }

    @Test
    @DisplayName("blockAfter failures block the source for blockFor, then it is let through again")
    void blockAndExpiry() {
        fail(A, 6, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(BLOCKED);
        assertThat(guard.verdict(A, T0.plus(BLOCK).minusMillis(1))).isEqualTo(BLOCKED);
        // block over and window (10 min < 15 min) over too: a clean slate
        assertThat(guard.verdict(A, T0.plus(BLOCK))).isEqualTo(PASS);
        guard.failure(A, T0.plus(BLOCK));
        assertThat(guard.verdict(A, T0.plus(BLOCK))).isEqualTo(PASS);
    }

    @Test
    @DisplayName("a failure after the block has expired starts counting afresh")
    void afterBlockCountsAfresh() {
        BruteForceGuard longWindow = new BruteForceGuard(3, 4, Duration.ofHours(1), Duration.ofMinutes(5));
        for (int i = 0; i < 4; i++) {
            longWindow.failure(A, T0);
        }
        assertThat(longWindow.verdict(A, T0.plusSeconds(60)).blocked()).isTrue();
        Instant later = T0.plus(Duration.ofMinutes(5));
        assertThat(longWindow.verdict(A, later).blocked()).isFalse();
        longWindow.failure(A, later);
        assertThat(longWindow.verdict(A, later)).isEqualTo(PASS);
    }

    @Test
    @DisplayName("failures older than the window are forgotten; a failure after it opens a new window")
    void windowResets() {
        fail(A, 2, T0);
        guard.failure(A, T0.plus(WINDOW).plusSeconds(1));
        assertThat(guard.verdict(A, T0.plus(WINDOW).plusSeconds(1))).as("1 failure in the new window").isEqualTo(PASS);
        fail(A, 3, T0.plus(Duration.ofHours(2)));
        assertThat(guard.verdict(A, T0.plus(Duration.ofHours(2)))).isEqualTo(delay(1));
        assertThat(guard.verdict(A, T0.plus(Duration.ofHours(2)).plus(WINDOW).plusSeconds(1))).isEqualTo(PASS);
    }

    @Test
    @DisplayName("a success clears the source's record")
    void successResets() {
        fail(A, 5, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(delay(4));
        guard.success(A);
        assertThat(guard.verdict(A, T0)).isEqualTo(PASS);
        fail(A, 5, T0);
        assertThat(guard.verdict(A, T0).blocked()).as("counting restarted at zero").isFalse();
    }

    @Test
    @DisplayName("sources are independent: one blocked attacker does not lock out anyone else")
    void sourcesIndependent() {
        fail(A, 6, T0);
        assertThat(guard.verdict(A, T0)).isEqualTo(BLOCKED);
        assertThat(guard.verdict(B, T0)).isEqualTo(PASS);
        fail(B, 3, T0);
        assertThat(guard.verdict(B, T0)).isEqualTo(delay(1));
        guard.success(B);
        assertThat(guard.verdict(A, T0)).isEqualTo(BLOCKED);
    }

    @Test
    @DisplayName("purge drops only sources whose window and block have both passed")
    void purge() throws Exception {
        fail(A, 6, T0);               // blocked until T0+15min
        fail(B, 1, T0);               // window until T0+10min
        guard.failure("192.0.2.55", T0.plus(Duration.ofMinutes(9)));
        guard.purge(T0.plus(WINDOW).plusSeconds(1));
        assertThat(tracked()).containsOnlyKeys(A, "192.0.2.55");
        assertThat(guard.verdict(A, T0.plus(WINDOW).plusSeconds(1))).isEqualTo(BLOCKED);
        guard.purge(T0.plus(BLOCK));
        assertThat(tracked()).containsOnlyKeys("192.0.2.55");
        guard.purge(T0.plus(Duration.ofMinutes(20)));
        assertThat(tracked()).isEmpty();
    }

    /** The guard's per-source table: purge exists only to keep it small, which nothing else shows. */
    @SuppressWarnings("unchecked")
    private Map<String, ?> tracked() throws ReflectiveOperationException {
        Field f = BruteForceGuard.class.getDeclaredField("bySource");
        f.setAccessible(true);
        return (Map<String, ?>) f.get(guard);
    }
}
