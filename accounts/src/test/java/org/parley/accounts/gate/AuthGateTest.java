package org.parley.accounts.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.Page;

@DisplayName("GS-1, GS-4, PP2-3, RFC 7616 §3.3, issue 9 §3, issue 14 §1: AuthGate — one outcome for wrong password and unknown user, failed algorithms visible")
class AuthGateTest {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final List<String> OFFERED = List.of("SHA-256", "MD5");

    final List<AuthAttempt> recorded = new CopyOnWriteArrayList<>();
    final AuthGate gate = new AuthGate(GateSettings.defaults(), new AuthAttemptLog() {
        @Override
        public void record(AuthAttempt attempt) {
            recorded.add(attempt);
        }

        @Override
        public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
            return new Page<>(recorded, offset, limit, recorded.size());
        }

        @Override
        public List<AuthAttempt> concerning(java.util.Collection<String> identities) {
            return recorded.stream().filter(a -> identities.contains(a.identity())).toList();
        }

        @Override
        public int forget(java.util.Collection<String> identities) {
            int before = recorded.size();
            recorded.removeIf(a -> identities.contains(a.identity()));
            return before - recorded.size();
        }
    });

    static GateAttempt attempt(String identity) {
        return new GateAttempt("sip-register", "198.51.100.7", "UDP", Optional.of("baresip v1.0"), identity);
    }

    @Test
    @DisplayName("a wrong password and an unknown user are recorded alike, user names lower-cased")
    void oneOutcome() {
        gate.badCredentials(attempt("Alice"), T0);
        gate.badCredentials(attempt("nobody"), T0);
        assertThat(recorded).extracting(AuthAttempt::identity, AuthAttempt::reason, AuthAttempt::success)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", AuthGate.BAD_CREDENTIALS, false),
                        org.assertj.core.groups.Tuple.tuple("nobody", AuthGate.BAD_CREDENTIALS, false));
    }

    @Test
    @DisplayName("a challenge left unanswered is recorded once, with the algorithms offered; an answered one never")
    void unansweredChallenges() {
        gate.challenged(attempt("alice"), "call-1", OFFERED, T0);
        gate.challenged(attempt("bob"), "call-2", OFFERED, T0);
        gate.answered(attempt("bob"), "call-2");
        gate.purge(T0.plusSeconds(10));
        assertThat(recorded).isEmpty();
        gate.purge(T0.plus(GateSettings.defaults().unansweredAfter()).plusSeconds(1));
        gate.purge(T0.plus(Duration.ofMinutes(5)));
        assertThat(recorded).singleElement().satisfies(a -> {
            assertThat(a.identity()).isEqualTo("alice");
            assertThat(a.reason()).contains("challenge unanswered", "SHA-256, MD5");
            assertThat(a.userAgent()).contains("baresip v1.0");
            assertThat(a.at()).isEqualTo(T0);
        });
    }

    @Test
    @DisplayName("credentials with an algorithm not offered are recorded at once")
    void algorithmNotOffered() {
        gate.algorithmNotOffered(attempt("alice"), "SHA-512-256", OFFERED, T0);
        assertThat(recorded).singleElement().extracting(AuthAttempt::reason)
                .isEqualTo("algorithm SHA-512-256 not offered (offered SHA-256, MD5)");
    }

    @Test
    @DisplayName("a refused admission is recorded with its reason; a pass is not")
    void admissions() {
        assertThat(gate.admit(attempt("alice"), T0).refused()).isFalse();
        for (int i = 0; i < GateSettings.defaults().pairBlockAfter(); i++) {
            gate.badCredentials(attempt("alice"), T0);
        }
        recorded.clear();
        Admission a = gate.admit(attempt("alice"), T0);
        assertThat(a.verdict()).isEqualTo(Admission.Verdict.BLOCKED);
        assertThat(recorded).singleElement().extracting(AuthAttempt::reason).isEqualTo(AuthGate.BLOCKED);
    }
}
