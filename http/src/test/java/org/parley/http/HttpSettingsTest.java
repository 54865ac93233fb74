package org.parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

/** The http.* and https.port keys, read by this module (issue 14 §6). */
@DisplayName("C1, GO-4: the HTTP side reads its own http.* keys; bad ones are named")
class HttpSettingsTest {
    @Test
    @DisplayName("defaults: 8080 and 8443 on every interface, one-hour user tokens, 64 KiB bodies, no TLS files yet")
    void defaults() {
        HttpSettings s = HttpSettings.from(Configs.overriding(Map.of()), 1024);
        assertThat(s.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.httpsPort()).isEqualTo(8443);
        assertThat(s.userTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(s.maxBodyBytes()).isEqualTo(HttpSettings.DEFAULT_MAX_BODY_BYTES);
        assertThat(s.tls()).isEmpty();
    }

    @Test
    @DisplayName("connections per listener: as configured, else an eighth of what SIP leaves free, at least 32")
    void connections() {
        assertThat(HttpSettings.from(Configs.overriding(Map.of()), 1024).maxConnections()).isEqualTo(128);
        assertThat(HttpSettings.from(Configs.overriding(Map.of()), 128).maxConnections()).isEqualTo(32);
        assertThat(HttpSettings.from(Configs.overriding(Map.of("http.max-connections", "500")), 1024)
                .maxConnections()).isEqualTo(500);
    }

    @Test
    @DisplayName("a user token lifetime above a day, a bad port or a negative cap is refused naming the key")
    void refusals() {
        assertThatThrownBy(() -> HttpSettings.from(Configs.overriding(Map.of("http.user-token-seconds", "86401")), 1024))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.user-token-seconds")
                .hasMessageContaining("one day");
        assertThatThrownBy(() -> HttpSettings.from(Configs.overriding(Map.of("http.user-token-seconds", "0")), 1024))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.user-token-seconds");
        assertThatThrownBy(() -> HttpSettings.from(Configs.overriding(Map.of("https.port", "-2")), 1024))
                .isInstanceOf(ConfigException.class).hasMessageContaining("https.port");
        assertThatThrownBy(() -> HttpSettings.from(Configs.overriding(Map.of("http.max-connections", "-1")), 1024))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.max-connections");
    }
}
