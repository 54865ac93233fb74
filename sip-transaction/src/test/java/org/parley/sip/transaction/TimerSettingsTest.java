package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

/** sip.transaction.answer-deadline-ms, read by this module (issue 14 §2 and §6). */
@DisplayName("C1, RFC 3261 §17.2.2 (Timer F): the watchdog's answer deadline is read here and kept below Timer F")
class TimerSettingsTest {
    @Test
    @DisplayName("default: the RFC 3261 base timers and a 20 s answer deadline")
    void defaults() {
        assertThat(TimerSettings.from(Configs.overriding(Map.of()))).isEqualTo(TimerSettings.DEFAULT);
        assertThat(TimerSettings.from(Configs.overriding(Map.of("sip.transaction.answer-deadline-ms", "9000")))
                .answerDeadline()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    @DisplayName("a deadline at or after the client's Timer F (32 s) or not positive is refused naming the key")
    void refusals() {
        for (String bad : new String[] {"32000", "40000", "0", "soon"}) {
            assertThatThrownBy(() -> TimerSettings.from(Configs.overriding(
                    Map.of("sip.transaction.answer-deadline-ms", bad))))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("sip.transaction.answer-deadline-ms");
        }
        assertThatThrownBy(() -> TimerSettings.from(Configs.overriding(
                Map.of("sip.transaction.answer-deadline-ms", "32000")))).hasMessageContaining("Timer F (32000 ms)");
    }
}
