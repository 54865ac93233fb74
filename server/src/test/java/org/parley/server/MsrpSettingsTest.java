package org.parley.server;

import org.parley.config.Config;
import org.parley.config.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The msrp.* keys (RFC 4976 relay): safe defaults, PARLEY_* overrides, and refusals naming the key. */
@DisplayName("C1 configuration of the MSRP relay (RFC 4976)")
class MsrpSettingsTest {
    private static ServerSettings.Msrp load(Map<String, String> env, Map<String, String> flags) {
        return ServerSettings.from(Config.load(Optional.empty(), env, flags)).msrp();
    }

    @Test
    @DisplayName("defaults: TLS 2855 and WSS 2856 on, plain TCP and WS off, the SIP advertised address, 1800 s grants")
    void defaults() {
        ServerSettings.Msrp m = load(Map.of(), Map.of());
        assertThat(m.tlsPort()).isEqualTo(2855);
        assertThat(m.wssPort()).isEqualTo(2856);
        assertThat(m.tcpPort()).isEqualTo(ServerSettings.Msrp.OFF);
        assertThat(m.wsPort()).isEqualTo(ServerSettings.Msrp.OFF);
        assertThat(m.advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(m.defaultExpires()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(m.maxChunkBytes()).isEqualTo(65536);
    }

    @Test
    @DisplayName("environment variables turn plain TCP on and move the advertised address")
    void environment() {
        ServerSettings.Msrp m = load(Map.of("PARLEY_MSRP_TCP_PORT", "2857", "PARLEY_MSRP_ADVERTISED_ADDRESS",
                "relay.example.org"), Map.of());
        assertThat(m.tcpPort()).isEqualTo(2857);
        assertThat(m.advertisedAddress()).isEqualTo("relay.example.org");
    }

    @Test
    @DisplayName("bad values are refused with the key named")
    void refusals() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.tls.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.tls.port");
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.auth.default-expires", "30")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.auth.default-expires");
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.auth.max-expires", "10")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.auth.max-expires");
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.max-chunk-bytes", "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.max-chunk-bytes");
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.max-header-bytes", "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.max-header-bytes");
    }
}
