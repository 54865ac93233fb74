package org.parley.accounts.gate;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("C1, GS-4, PP2-3: the guard reads its own auth.* keys; bad and inconsistent ones are named")
class GateSettingsTest {
    @Test
    void documentedDefaultsAreTheBuiltInOnes() {
        assertThat(GateSettings.from(Configs.overriding(Map.of()))).isEqualTo(GateSettings.defaults());
    }

    @Test
    void malformedAndInconsistentValuesNameTheKeyToFix() {
        assertThatThrownBy(() -> GateSettings.from(Configs.overriding(Map.of("auth.block-seconds", "5m"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.block-seconds")
                .hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> GateSettings.from(Configs.overriding(Map.of("auth.failures-before-delay", "5",
                "auth.failures-before-block", "4"))))
                .hasMessageContaining("auth.failures-before-block")
                .hasMessageContaining("must not be less than auth.failures-before-delay");
        assertThatThrownBy(() -> GateSettings.from(Configs.overriding(Map.of("auth.source-failures-before-block", "9"))))
                .hasMessageContaining("auth.source-failures-before-block");
        assertThatThrownBy(() -> GateSettings.from(Configs.overriding(Map.of("auth.first-delay-ms", "9000"))))
                .hasMessageContaining("auth.max-delay-ms");
    }
}
