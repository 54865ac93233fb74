package org.parley.registrar;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("C1, RFC 3261 §10.2.1.1: the registrar reads its own registrar.* keys; bad ones are named")
class RegistrarSettingsTest {
    @Test
    void documentedDefaults() {
        assertThat(RegistrarSettings.from(Configs.overriding(Map.of())))
                .isEqualTo(new RegistrarSettings(Duration.ofSeconds(60), Duration.ofHours(2), Duration.ofHours(1)));
        assertThat(RegistrarSettings.from(Configs.overriding(Map.of("registrar.write-behind.refresh-lag-percent", "0")))
                .refreshLagPercent()).isZero();
    }

    @Test
    void malformedAndInconsistentValuesNameTheirKey() {
        assertThatThrownBy(() -> RegistrarSettings.from(Configs.overriding(Map.of("registrar.min-expires", "sixty"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("registrar.min-expires")
                .hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> RegistrarSettings.from(Configs.overriding(Map.of("registrar.max-expires", "0"))))
                .hasMessageContaining("registrar.max-expires").hasMessageContaining("must be greater than 0");
        assertThatThrownBy(() -> RegistrarSettings.from(Configs.overriding(Map.of("registrar.min-expires", "600",
                "registrar.max-expires", "300"))))
                .hasMessageContaining("registrar.max-expires").hasMessageContaining("(600)");
        assertThatThrownBy(() -> RegistrarSettings.from(Configs.overriding(Map.of("registrar.default-expires", "30"))))
                .hasMessageContaining("registrar.default-expires").hasMessageContaining("must lie between");
        assertThatThrownBy(() -> RegistrarSettings.from(Configs.overriding(Map.of(
                "registrar.write-behind.refresh-lag-percent", "51"))))
                .hasMessageContaining("registrar.write-behind.refresh-lag-percent").hasMessageContaining("at most 50");
        assertThatThrownBy(() -> RegistrarSettings.from(Configs.overriding(Map.of(
                "registrar.write-behind.refresh-lag-percent", "-1"))))
                .hasMessageContaining("registrar.write-behind.refresh-lag-percent").hasMessageContaining("must not be negative");
    }
}
