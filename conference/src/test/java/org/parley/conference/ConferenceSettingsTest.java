package org.parley.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

@DisplayName("conference.* settings: documented defaults, malformed and inconsistent values refused")
class ConferenceSettingsTest {

    @Test
    @DisplayName("the documented defaults are the built-in ones")
    void defaults() {
        assertThat(ConferenceSettings.from(Configs.overriding(Map.of()))).isEqualTo(ConferenceSettings.defaults());
    }

    @Test
    @DisplayName("UC 5.17: the operator switches public chat off")
    void publicChatOff() {
        assertThat(ConferenceSettings.from(Configs.overriding(Map.of("conference.public-chat.enabled", "false")))
                .publicChat()).isFalse();
    }

    @Test
    @DisplayName("malformed and inconsistent values name their key")
    void refusals() {
        assertThatThrownBy(() -> ConferenceSettings.from(Configs.overriding(Map.of("conference.room.max-members", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("conference.room.max-members");
        assertThatThrownBy(() -> ConferenceSettings.from(Configs.overriding(Map.of("conference.adult-age", "eighteen"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("conference.adult-age");
        assertThatThrownBy(() -> ConferenceSettings.from(Configs.overriding(Map.of(
                "conference.history.max-messages", "5", "conference.history.default-messages", "6"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("conference.history.default-messages");
    }
}
