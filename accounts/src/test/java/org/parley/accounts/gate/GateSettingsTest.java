package org.parley.accounts.gate;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.Config;
import org.parley.config.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("C1, GS-4, PP2-3: the guard reads its own auth.* keys; bad and inconsistent ones are named")
class GateSettingsTest {
    private static GateSettings from(Map<String, String> flags) {
        return GateSettings.from(Config.load(Optional.empty(), Map.of(), flags));
    }

    @Test
    void documentedDefaultsAreTheBuiltInOnes() {
        assertThat(from(Map.of())).isEqualTo(GateSettings.defaults());
    }

    @Test
    void malformedAndInconsistentValuesNameTheKeyToFix() {
        assertThatThrownBy(() -> from(Map.of("auth.block-seconds", "5m")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.block-seconds")
                .hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> from(Map.of("auth.failures-before-delay", "5", "auth.failures-before-block", "4")))
                .hasMessageContaining("auth.failures-before-block")
                .hasMessageContaining("must not be less than auth.failures-before-delay");
        assertThatThrownBy(() -> from(Map.of("auth.source-failures-before-block", "9")))
                .hasMessageContaining("auth.source-failures-before-block");
        assertThatThrownBy(() -> from(Map.of("auth.first-delay-ms", "9000")))
                .hasMessageContaining("auth.max-delay-ms");
    }
}
