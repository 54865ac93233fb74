package org.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

@DisplayName("GIM-20, UC 5.19.8, Fetch standard CORS: web.* keys — the client on by default, CORS off by default, origins only as browsers send them")
class WebSettingsTest {

    @Test
    @DisplayName("the documented defaults: Parley Web served, no other origin allowed")
    void defaults() {
        WebSettings settings = WebSettings.from(Configs.overriding(Map.of()));
        assertThat(settings).isEqualTo(WebSettings.defaults());
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.corsOrigins()).isEmpty();
    }

    @Test
    @DisplayName("named origins are kept lower case, as the Origin header is compared")
    void origins() {
        WebSettings settings = WebSettings.from(Configs.overriding(Map.of(
                "web.cors.allowed-origins", "https://Chat.Example.org, http://localhost:3000")));
        assertThat(settings.corsOrigins()).isEqualTo(Set.of("https://chat.example.org", "http://localhost:3000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "chat.example.org", "https://chat.example.org/", "https://chat.example.org/app",
            "ftp://chat.example.org", "https://user@chat.example.org", "https://chat.example.org?x=1", "https://",
            "https://chat example.org", "null"})
    @DisplayName("a wildcard, a path, another scheme, credentials, a query or a malformed value is refused naming the key")
    void malformedOrigins(String origin) {
        assertThatThrownBy(() -> WebSettings.from(Configs.overriding(Map.of("web.cors.allowed-origins", origin))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("web.cors.allowed-origins");
    }
}
