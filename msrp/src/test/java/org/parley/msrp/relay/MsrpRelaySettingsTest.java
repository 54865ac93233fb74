package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpTransport;

/** The msrp.* keys (RFC 4976 relay), read by this module: safe defaults, PARLEY_* overrides, and refusals naming the key. */
@DisplayName("C1 configuration of the MSRP relay (RFC 4976)")
class MsrpRelaySettingsTest {
    private static MsrpRelaySettings load(Map<String, String> env, Map<String, String> flags) {
        return MsrpRelaySettings.from(Config.load(Optional.empty(), env, flags), InetAddress.getLoopbackAddress(),
                "sip.example.org");
    }

    @Test
    @DisplayName("defaults: TLS 2855 and WSS 2856 on, plain TCP off, plain WS 2859 on loopback only (issue 12: Parley Web "
            + "at http://localhost), the SIP advertised address, 1800 s grants")
    void defaults() throws Exception {
        MsrpRelaySettings m = load(Map.of(), Map.of());
        assertThat(m.ports()).containsEntry(MsrpTransport.TLS, 2855).containsEntry(MsrpTransport.WSS, 2856);
        assertThat(m.port(MsrpTransport.TCP)).isEqualTo(MsrpRelaySettings.DISABLED);
        assertThat(m.port(MsrpTransport.WS)).isEqualTo(2859);
        MsrpRelaySettings everywhere = MsrpRelaySettings.from(Config.load(Optional.empty(), Map.of(), Map.of()),
                InetAddress.getByName("0.0.0.0"), "sip.example.org");
        assertThat(everywhere.bindAddress(MsrpTransport.WSS).isAnyLocalAddress()).isTrue();
        assertThat(everywhere.bindAddress(MsrpTransport.WS)).as("plain: the digest exchange in clear")
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(everywhere.bindAddress(MsrpTransport.TCP)).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(m.port(MsrpTransport.TLS)).as("TLS comes with the certificate, at start")
                .isEqualTo(MsrpRelaySettings.DISABLED);
        assertThat(m.bindAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(m.advertisedHost()).isEqualTo("sip.example.org");
        assertThat(m.defaultExpiry()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(m.idleTimeout()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(m.limits()).isEqualTo(MsrpLimits.DEFAULT);
        assertThat(m.responseTimeout()).as("RFC 4975 §7.1").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("environment variables turn plain TCP on and move the advertised address")
    void environment() {
        MsrpRelaySettings m = load(Map.of("PARLEY_MSRP_TCP_PORT", "2857", "PARLEY_MSRP_ADVERTISED_ADDRESS",
                "relay.example.org"), Map.of());
        assertThat(m.port(MsrpTransport.TCP)).isEqualTo(2857);
        assertThat(m.advertisedHost()).isEqualTo("relay.example.org");
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
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.idle-timeout-seconds", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.idle-timeout-seconds");
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.plain-bind-address", "no such host.invalid")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.plain-bind-address");
    }
}
