package org.parley.presence;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("C1, RFC 3903 §6, RFC 6665 §4.2.1.1: presence reads its own presence.* keys; bad ones are named")
class PresenceSettingsTest {
    @Test
    void documentedDefaultsAreTheBuiltInOnes() {
        assertThat(PresenceSettings.from(Configs.overriding(Map.of()))).isEqualTo(PresenceSettings.defaults());
        assertThat(PresenceSettings.from(Configs.overriding(Map.of("presence.notify.min-interval-ms", "0")))
                .notifyInterval()).isEqualTo(Duration.ZERO);
    }

    @Test
    void malformedValuesNameTheirKey() {
        assertThatThrownBy(() -> PresenceSettings.from(Configs.overriding(Map.of("presence.publish.max-expires", "2h"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("presence.publish.max-expires")
                .hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> PresenceSettings.from(Configs.overriding(Map.of("presence.subscribe.min-expires", "0"))))
                .hasMessageContaining("presence.subscribe.min-expires").hasMessageContaining("must be greater than 0");
        assertThatThrownBy(() -> PresenceSettings.from(Configs.overriding(Map.of("presence.notify.min-interval-ms", "-1"))))
                .hasMessageContaining("presence.notify.min-interval-ms").hasMessageContaining("must not be negative");
    }
}
