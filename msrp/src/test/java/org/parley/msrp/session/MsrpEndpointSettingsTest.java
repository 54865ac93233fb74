package org.parley.msrp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.msrp.MsrpListeners;
import org.parley.msrp.MsrpTransport;

/** The msrp.endpoint.* keys (Parley as the MSRP end of deferred sessions): safe defaults, overrides, refusals naming the key. */
@DisplayName("C1 configuration of Parley's MSRP endpoint (RFC 4975, MU-3)")
class MsrpEndpointSettingsTest {
    private static MsrpEndpointSettings load(Map<String, String> env, Map<String, String> flags) {
        return MsrpEndpointSettings.from(Config.load(Optional.empty(), env, flags));
    }

    @Test
    @DisplayName("defaults: TLS 2857 and WSS 2858 on, plain TCP off, plain WS 2860 (bound to loopback with the relay's, "
            + "issue 12: Parley Web at http://localhost), messages up to 10 MiB")
    void defaults() {
        MsrpEndpointSettings e = load(Map.of(), Map.of());
        assertThat(e.port(MsrpTransport.TLS)).isEqualTo(2857);
        assertThat(e.port(MsrpTransport.WSS)).isEqualTo(2858);
        assertThat(e.port(MsrpTransport.TCP)).isEqualTo(MsrpListeners.DISABLED);
        assertThat(e.port(MsrpTransport.WS)).isEqualTo(2860);
        assertThat(e.maxMessageBytes()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    @DisplayName("PARLEY_MSRP_ENDPOINT_* turn plain TCP on and change the size; an empty port turns TLS off")
    void overrides() {
        MsrpEndpointSettings e = load(Map.of("PARLEY_MSRP_ENDPOINT_TCP_PORT", "0",
                "PARLEY_MSRP_ENDPOINT_MAX_MESSAGE_BYTES", "4096"), Map.of("msrp.endpoint.tls.port", ""));
        assertThat(e.port(MsrpTransport.TCP)).isZero();
        assertThat(e.port(MsrpTransport.TLS)).isEqualTo(MsrpListeners.DISABLED);
        assertThat(e.maxMessageBytes()).isEqualTo(4096);
    }

    @Test
    @DisplayName("malformed values are refused with the key named")
    void malformed() {
        for (Map.Entry<String, String> bad : Map.of("msrp.endpoint.tls.port", "70000", "msrp.endpoint.wss.port", "x",
                "msrp.endpoint.max-message-bytes", "0", "msrp.endpoint.tcp.port", "-5").entrySet()) {
            assertThatThrownBy(() -> load(Map.of(), Map.of(bad.getKey(), bad.getValue())))
                    .as(bad.toString()).isInstanceOf(ConfigException.class).hasMessageContaining(bad.getKey());
        }
        assertThatThrownBy(() -> load(Map.of(), Map.of("msrp.endpoint.max-message-bytes", "2147483647")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("msrp.endpoint.max-message-bytes");
    }
}
