package org.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * C1 (Auto Registration) and GS-1: "record every registration and login attempt" (success and
 * failure). The text the attempts are kept as (V17) holds every field of an attempt whatever a peer
 * put in it, and a block that is not that text is refused with its line and reason instead of being
 * listed as some other attempt.
 */
@DisplayName("C1 Auto Registration and GS-1 (authenticate every user): record every registration and login attempt, issue 13: an auth attempt block's text, written and read back (AuthAttemptLines)")
class AuthAttemptLinesTest {
    private static String text(AuthAttempt... attempts) {
        StringBuilder out = new StringBuilder();
        for (AuthAttempt a : attempts) {
            AuthAttemptLines.append(out, a);
        }
        return out.toString();
    }

    @Test
    @DisplayName("C1, GS-1: one line per attempt, eight tab-separated fields; \\N only for an absent User-Agent")
    void writesTheDocumentedFormat() {
        AuthAttempt a = new AuthAttempt(Instant.parse("2025-03-01T12:00:00.123456Z"), "alice", true, "ok",
                "sip-register", "192.0.2.5:5060", "UDP", Optional.empty());
        AuthAttempt b = new AuthAttempt(Instant.parse("2025-03-01T12:00:01Z"), "b\tob", false, "bad\\password",
                "xcap", "[2001:db8::1]:443", "TLS", Optional.of("\\N"));
        String text = text(a, b);
        assertThat(text).isEqualTo("1740830400123456\t1\talice\tok\tsip-register\t192.0.2.5:5060\tUDP\t\\N\n"
                + "1740830401000000\t0\tb\\tob\tbad\\\\password\txcap\t[2001:db8::1]:443\tTLS\t\\\\N\n");
        assertThat(AuthAttemptLines.parse(text)).containsExactly(a, b);
    }

    @Test
    @DisplayName("C1, GS-1: an attempt's time, before 1970 too, kept to the microsecond, rounded down")
    void timesToTheMicrosecond() {
        AuthAttempt early = new AuthAttempt(Instant.parse("1969-07-20T20:17:40.000000999Z"), "x", true, "ok",
                "sip-register", "s", "UDP", Optional.empty());
        List<AuthAttempt> back = AuthAttemptLines.parse(text(early));
        assertThat(back.getFirst().at()).isEqualTo(Instant.parse("1969-07-20T20:17:40Z"));
        assertThat(AuthAttemptLines.parse("")).isEmpty();
    }

    @ParameterizedTest(name = "C1, GS-1: refused, the line {1}")
    @CsvSource(delimiter = '|', value = {
        "1\\t1\\ta\\tok\\td\\ts\\tUDP\\t\\\\N                      | has no line feed at its end",
        "1\\t1\\ta\\tok\\td\\ts\\tUDP\\n                           | has 7 fields, not 8",
        "1\\t1\\ta\\tok\\td\\ts\\tUDP\\tua\\textra\\n              | has more than 8 fields",
        "x\\t1\\ta\\tok\\td\\ts\\tUDP\\tua\\n                      | its time is not a number of microseconds",
        "1\\tyes\\ta\\tok\\td\\ts\\tUDP\\tua\\n                    | its outcome is neither 1 nor 0",
        "1\\t1\\ta\\\\x\\tok\\td\\ts\\tUDP\\tua\\n                 | has an unknown escape \\\\x",
        "1\\t1\\ta\\\\\\tok\\td\\ts\\tUDP\\tua\\n                  | a field ends in a lone backslash",
    })
    @DisplayName("C1, GS-1: a block changed by hand is refused with the line and the reason, never read as a wrong attempt")
    void malformedTextIsRefused(String escaped, String why) {
        String text = escaped.strip().replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\");
        assertThatThrownBy(() -> AuthAttemptLines.parse("1\t1\tok-line\tok\td\ts\tUDP\t\\N\n" + text))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining(why.replace("\\\\", "\\"));
    }
}
