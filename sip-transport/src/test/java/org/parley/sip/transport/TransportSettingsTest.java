package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

/** The sip.* keys of the listeners and their connections, read by this module (issue 14 §6). */
@DisplayName("GO-2, GS-4/PP2-3 (connection caps), RFC 3261 §18: sip-transport reads its own sip.* keys; bad ones are named with their source")
class TransportSettingsTest {
    @Test
    @DisplayName("defaults: UDP and TCP 5060, TLS 5061, WS 5066, WSS 7443, 64 KiB messages, 127.0.0.1 advertised for a wildcard bind")
    void defaults() {
        TransportSettings s = TransportSettings.from(Configs.overriding(Map.of()));
        assertThat(s.bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(s.advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(new int[] {s.udpPort(), s.tcpPort(), s.tlsPort(), s.wsPort(), s.wssPort()})
                .containsExactly(5060, 5060, 5061, 5066, 7443);
        assertThat(s.maxMessageBytes()).isEqualTo(TransportSettings.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(s.sslContext()).as("TLS comes with the certificate, at start").isNull();
        assertThat(s.port(Transport.TLS)).isEqualTo(TransportSettings.DISABLED);
        assertThat(s.limits()).isEqualTo(ConnectionLimits.defaults());
        assertThat(s.udpReceivers()).isEqualTo(TransportSettings.DEFAULT_UDP_RECEIVERS);
    }

    @Test
    @DisplayName("issue 13: sip.udp.receivers sets the UDP receivers kept reading; fewer than one is refused")
    void udpReceivers() {
        assertThat(TransportSettings.from(Configs.overriding(Map.of("sip.udp.receivers", "4"))).udpReceivers())
                .isEqualTo(4);
        assertThatThrownBy(() -> TransportSettings.from(Configs.overriding(Map.of("sip.udp.receivers", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.udp.receivers");
    }

    @Test
    @DisplayName("the advertised address follows a specific bind address unless set; an explicit one wins")
    void advertisedAddress() {
        assertThat(TransportSettings.from(Configs.overriding(Map.of("sip.bind-address", "192.0.2.10")))
                .advertisedAddress()).isEqualTo("192.0.2.10");
        assertThat(TransportSettings.from(Configs.overriding(Map.of("sip.bind-address", "127.0.0.1")))
                .advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(TransportSettings.from(Configs.overriding(Map.of("sip.advertised-address", "sip.example.org")))
                .advertisedAddress()).isEqualTo("sip.example.org");
    }

    @Test
    @DisplayName("connection caps and deadlines come from their keys; 0 derives them from the open-file limit")
    void connectionLimits() {
        ConnectionLimits limits = TransportSettings.from(Configs.overriding(Map.of("sip.max-connections", "100",
                "sip.max-connections-per-address", "7", "sip.fd-reserve", "50", "sip.message-deadline-seconds", "3",
                "sip.unregistered-idle-seconds", "4", "sip.idle-seconds", "5"))).limits();
        assertThat(limits).isEqualTo(new ConnectionLimits(100, 7, 50, Duration.ofSeconds(3), Duration.ofSeconds(4),
                Duration.ofSeconds(5)));
        ConnectionLimits derived = ConnectionLimits.from(Configs.overriding(Map.of()));
        assertThat(derived.fdReserve()).isEqualTo(ConnectionLimits.defaultReserve(ConnectionLimits.fileDescriptorLimit()));
    }

    @Test
    @DisplayName("environment variables reach the settings (PARLEY_SIP_MAX_MESSAGE_BYTES)")
    void environment() {
        Config config = Config.load(Optional.empty(), Map.of("PARLEY_SIP_MAX_MESSAGE_BYTES", "1300"), Map.of());
        assertThat(TransportSettings.from(config).maxMessageBytes()).isEqualTo(1300);
    }

    @Test
    @DisplayName("bad values are refused naming the key and where the value came from")
    void refusals() {
        assertThatThrownBy(() -> TransportSettings.from(Config.load(Optional.empty(),
                Map.of("PARLEY_SIP_UDP_PORT", "70000"), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.udp.port")
                .hasMessageContaining("PARLEY_SIP_UDP_PORT");
        assertThatThrownBy(() -> TransportSettings.from(Configs.overriding(Map.of("sip.max-message-bytes", "100"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.max-message-bytes")
                .hasMessageContaining("at least 256");
        assertThatThrownBy(() -> TransportSettings.from(Configs.overriding(Map.of("sip.bind-address", ""))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.bind-address");
        assertThatThrownBy(() -> TransportSettings.from(Configs.overriding(Map.of("sip.idle-seconds", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.idle-seconds");
        assertThatThrownBy(() -> TransportSettings.from(Configs.overriding(Map.of("sip.fd-reserve", "-1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.fd-reserve");
    }
}
