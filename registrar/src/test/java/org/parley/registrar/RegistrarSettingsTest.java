package org.parley.registrar;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.Config;
import org.parley.config.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("C1, RFC 3261 §10.2.1.1: the registrar reads its own registrar.* keys; bad ones are named")
class RegistrarSettingsTest {
    private static RegistrarSettings from(Map<String, String> flags) {
        return RegistrarSettings.from(Config.load(Optional.empty(), Map.of(), flags));
    }

    @Test
    void documentedDefaults() {
        assertThat(from(Map.of())).isEqualTo(new RegistrarSettings(Duration.ofSeconds(60), Duration.ofHours(2),
                Duration.ofHours(1)));
    }

    @Test
    void malformedAndInconsistentValuesNameTheirKey() {
        assertThatThrownBy(() -> from(Map.of("registrar.min-expires", "sixty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("registrar.min-expires")
                .hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> from(Map.of("registrar.max-expires", "0")))
                .hasMessageContaining("registrar.max-expires").hasMessageContaining("must be greater than 0");
        assertThatThrownBy(() -> from(Map.of("registrar.min-expires", "600", "registrar.max-expires", "300")))
                .hasMessageContaining("registrar.max-expires").hasMessageContaining("(600)");
        assertThatThrownBy(() -> from(Map.of("registrar.default-expires", "30")))
                .hasMessageContaining("registrar.default-expires").hasMessageContaining("must lie between");
    }
}
