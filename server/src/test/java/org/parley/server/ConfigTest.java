package org.parley.server;

import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.registrar.RegistrarSettings;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * C1: the settings of every module made from the one configuration file; the file, its precedence
 * (flag > env > file > defaults) and its unknown keys are tested with Config in the config module.
 */
@DisplayName("C1, GO-4, PP2-17 configuration: defaults, --config file, PARLEY_* environment, flags")
class ConfigTest {
    @Test
    void defaultsAreTheDocumentedFile() throws IOException {
        Config config = Config.load(Optional.empty(), Map.of(), Map.of());
        ServerSettings settings = ServerSettings.from(config);

        assertThat(settings.domain()).isEqualTo("localhost");
        assertThat(settings.sip().udpPort()).isEqualTo(5060);
        assertThat(settings.sip().tlsPort()).isEqualTo(5061);
        assertThat(settings.sip().advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.web().httpPort()).isEqualTo(8080);
        assertThat(settings.registrar()).isEqualTo(new RegistrarSettings(Duration.ofSeconds(60), Duration.ofHours(2),
                Duration.ofHours(1)));
        assertThat(settings.auth().algorithms()).as("C14: MD5, the one every tested client answers").containsExactly("MD5");
        assertThat(settings.adminToken()).isEmpty();
        assertThat(settings.db().url()).isEmpty();
        assertThat(settings.tls().certificate()).isEmpty();

        String documented = Files.readString(repoRoot().resolve("config/parley.properties"));
        assertThat(config.keys()).allSatisfy(key -> assertThat(documented).contains("\n" + key + "="));
    }

    @Test
    void environmentOverridesReachTheSettings() {
        Config config = Config.load(Optional.empty(), Map.of("PARLEY_SIP_MAX_MESSAGE_BYTES", "1300",
                "PARLEY_ADMIN_TOKEN", "from-env"), Map.of());
        ServerSettings settings = ServerSettings.from(config);
        assertThat(settings.sip().maxMessageBytes()).isEqualTo(1300);
        assertThat(settings.adminToken()).map(Secret::reveal).hasValue("from-env");
        assertThat(settings.toString()).doesNotContain("from-env");
    }

    @Test
    void badNumbersAreNamedWithTheirSource() {
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(),
                Map.of("PARLEY_SIP_UDP_PORT", "70000"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sip.udp.port")
                .hasMessageContaining("PARLEY_SIP_UDP_PORT");
    }

    @Test
    void inconsistentValuesAreRefused() {
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("registrar.min-expires", "600", "registrar.max-expires", "300"))))
                .hasMessageContaining("registrar.max-expires");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("tls.certificate", "/etc/cert.pem"))))
                .hasMessageContaining("tls.private-key");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("auth.algorithms", "SHA-1"))))
                .hasMessageContaining("auth.algorithms");
        assertThatThrownBy(() -> Config.load(Optional.empty(), Map.of(), Map.of("no.such.key", "1")))
                .hasMessageContaining("no.such.key");
    }

    @Test
    void advertisedAddressFollowsASpecificBindAddress() {
        ServerSettings settings = ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("sip.bind-address", "192.0.2.10")));
        assertThat(settings.sip().advertisedAddress()).isEqualTo("192.0.2.10");
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("config"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root with config/").isNotNull();
        return dir;
    }
}
