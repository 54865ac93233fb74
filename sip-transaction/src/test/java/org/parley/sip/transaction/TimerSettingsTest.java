package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

/** sip.transaction.answer-deadline-ms and sip.transaction.completed-max-mb, read by this module (issue 14 §2 and §6, issue 13). */
@DisplayName("C1, RFC 3261 §17.2.2 (Timer F, Timer J): the watchdog's answer deadline is kept below Timer F; the completed logs' cap")
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

    @Test
    @DisplayName("§17.2.2 Timer J: completed-max-mb is 512 MiB by default, at most a quarter of the maximum heap, and positive")
    void completedCap() {
        assertThat(TimerSettings.DEFAULT.completedMaxMb()).isEqualTo(512);
        TimerSettings small = TimerSettings.from(Configs.overriding(Map.of("sip.transaction.completed-max-mb", "64")));
        assertThat(small.completedMaxMb()).isEqualTo(64);
        assertThat(small.completedChunks(16L << 30)).isEqualTo(64);
        assertThat(small.completedChunks(128L << 20)).as("a quarter of a 128 MiB heap").isEqualTo(32);
        assertThat(small.completedChunks(1L << 20)).as("never none").isEqualTo(1);
        for (String bad : new String[] {"0", "-1", "much"}) {
            assertThatThrownBy(() -> TimerSettings.from(Configs.overriding(Map.of("sip.transaction.completed-max-mb", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("sip.transaction.completed-max-mb");
        }
    }
}
