package org.parley.accounts.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GS-4, PP2-3, issue 9 §3: AuthGuard slows and stops guessing per source, per account, never locking the owner out")
class AuthGuardTest {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final String A = "198.51.100.7";
    static final String B = "203.0.113.9";
    static final String C = "192.0.2.44";

    /** Delayed from the 3rd failure on, blocked at the 6th per source+account; spraying blocked at 20; account slowed at 10. */
    static final GateSettings SETTINGS = new GateSettings(3, 6, 20, 10, Duration.ofMinutes(10), Duration.ofMinutes(15),
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(32));
    final AuthGuard guard = new AuthGuard(SETTINGS);

    private void fail(String source, String account, int times, Instant at) {
        for (int i = 0; i < times; i++) {
            guard.failure(source, account, at);
        }
    }

    private static Admission delay(long seconds) {
        return new Admission(Admission.Verdict.PASS, Duration.ofSeconds(seconds));
    }

    static final Admission BLOCKED = new Admission(Admission.Verdict.BLOCKED, Duration.ZERO);
    static final Admission SLOWED = new Admission(Admission.Verdict.SLOWED, Duration.ZERO);

    @Test
    @DisplayName("below the threshold nothing is delayed; from it refusals wait 1 s, doubling, at most 8 s")
    void delayGrowsAndIsCapped() {
        fail(A, "alice", 2, T0);
        assertThat(guard.admit(A, "alice", T0)).isEqualTo(Admission.PASS);
        GateSettings lenient = new GateSettings(1, 1000, 1000, 1000, Duration.ofMinutes(10), Duration.ofMinutes(15),
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(32));
        AuthGuard g = new AuthGuard(lenient);
        long[] expected = {1, 2, 4, 8, 8, 8};
        for (long seconds : expected) {
            g.failure(A, "alice", T0);
            assertThat(g.admit(A, "alice", T0)).isEqualTo(delay(seconds));
        }
    }

    @Test
    @DisplayName("one address guessing one account is refused for it — even the right password — until the block ends")
    void pairBlocked() {
        fail(A, "alice", 6, T0);
        assertThat(guard.admit(A, "alice", T0.plusSeconds(60))).isEqualTo(BLOCKED);
        assertThat(guard.admit(A, "alice", T0.plus(Duration.ofMinutes(16)))).isEqualTo(Admission.PASS);
    }

    @Test
    @DisplayName("carrier NAT: one user's guesses block neither other accounts behind the same address nor the account elsewhere")
    void natNeighboursUnaffected() {
        fail(A, "alice", 6, T0);
        assertThat(guard.admit(A, "bob", T0)).isEqualTo(Admission.PASS);
        assertThat(guard.admit(A, "", T0)).as("a request without credentials still gets its challenge").isEqualTo(Admission.PASS);
        assertThat(guard.admit(B, "alice", T0)).isEqualTo(Admission.PASS);
        for (int user = 0; user < 13; user++) {
            guard.failure(A, "typo-" + user, T0);
        }
        assertThat(guard.admit(A, "carol", T0)).as("many honest typos behind one address, below the spray threshold").isEqualTo(Admission.PASS);
    }

    @Test
    @DisplayName("spraying one password over many accounts from one address blocks the address")
    void sprayBlocksSource() {
        for (int user = 0; user < 20; user++) {
            guard.failure(A, "user" + user, T0);
        }
        assertThat(guard.admit(A, "somebody-new", T0)).isEqualTo(BLOCKED);
        assertThat(guard.admit(A, "", T0)).isEqualTo(BLOCKED);
        assertThat(guard.admit(B, "somebody-new", T0)).isEqualTo(Admission.PASS);
    }

    @Test
    @DisplayName("an account guessed from many addresses: one attempt per interval from new addresses, none lost for the owner's")
    void accountSlowedButOwnerKeepsGoing() {
        guard.success(C, "alice", T0);
        for (int source = 0; source < 10; source++) {
            guard.failure("10.0.0." + source, "alice", T0);
        }
        assertThat(guard.admit(B, "alice", T0)).isEqualTo(Admission.PASS);
        assertThat(guard.admit("10.9.9.9", "alice", T0)).isEqualTo(SLOWED);
        assertThat(guard.admit("10.9.9.9", "alice", T0.plusSeconds(2))).isEqualTo(Admission.PASS);
        for (int i = 0; i < 5; i++) {
            assertThat(guard.admit(C, "alice", T0)).as("the owner's known address").isEqualTo(Admission.PASS);
        }
        assertThat(guard.admit(B, "bob", T0)).isEqualTo(Admission.PASS);
    }

    @Test
    @DisplayName("a success clears the address's count for the account; everything is forgotten after the window")
    void successAndWindow() {
        fail(A, "alice", 4, T0);
        guard.success(A, "alice", T0);
        assertThat(guard.admit(A, "alice", T0)).isEqualTo(Admission.PASS);
        fail(B, "bob", 4, T0);
        assertThat(guard.admit(B, "bob", T0.plus(Duration.ofMinutes(11)))).isEqualTo(Admission.PASS);
        guard.purge(T0.plus(Duration.ofMinutes(11)));
        fail(B, "bob", 1, T0.plus(Duration.ofMinutes(11)));
        assertThat(guard.admit(B, "bob", T0.plus(Duration.ofMinutes(11)))).isEqualTo(Admission.PASS);
    }

    @Test
    @DisplayName("made-up user names cannot grow the guard without bound")
    void bounded() {
        for (int i = 0; i < AuthGuard.MAX_KEYS + 50; i++) {
            guard.failure("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), "user" + i, T0);
        }
        assertThat(guard.admit("10.255.255.255", "user-not-tracked", T0)).isEqualTo(Admission.PASS);
    }
}
