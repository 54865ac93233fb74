package org.parley.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

/** xcap.max-body-bytes, read by this module (issue 14 §5 and §6). */
@DisplayName("GO-2, RFC 4825 §8 (413 over the limit): XCAP's body limit is a documented key of its own, 1 MiB by default")
class XcapSettingsTest {
    @Test
    void defaultHoldsABuddyListOfThousands() {
        assertThat(XcapSettings.from(Configs.overriding(Map.of())).maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(XcapSettings.from(Configs.overriding(Map.of("xcap.max-body-bytes", "65536"))).maxBodyBytes())
                .isEqualTo(65536);
    }

    @Test
    void badValuesNameTheKey() {
        for (String bad : new String[] {"0", "-1", "1MiB"}) {
            assertThatThrownBy(() -> XcapSettings.from(Configs.overriding(Map.of("xcap.max-body-bytes", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("xcap.max-body-bytes");
        }
    }
}
