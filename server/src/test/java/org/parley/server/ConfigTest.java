package org.parley.server;

import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.accounts.AccountMemorySettings;
import org.parley.accounts.AuthAttemptData;
import org.parley.accounts.AuthAttemptJournalSettings;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.messaging.http.MessagingAccountData;
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
 * C1: the settings of every module composed from the one configuration file. Each module's keys are
 * tested with its own {@code ...Settings.from(Config)}; the file, its precedence (flag > env > file >
 * defaults) and its unknown keys with Config in the config module.
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
        assertThat(settings.http().port()).isEqualTo(8080);
        assertThat(settings.registrar()).isEqualTo(new RegistrarSettings(Duration.ofSeconds(60), Duration.ofHours(2),
                Duration.ofHours(1)));
        assertThat(settings.digest().algorithms()).as("C14: MD5, the one every tested client answers")
                .containsExactly(DigestAlgorithm.MD5);
        assertThat(settings.adminToken()).isEmpty();
        assertThat(settings.db().url()).isEmpty();
        assertThat(settings.tls().certificate()).isEmpty();
        assertThat(settings.authAttemptRetention()).isEqualTo(AuthAttemptData.Retention.DELETE);
        assertThat(settings.usageRetention()).isEqualTo(MessagingAccountData.UsageRetention.PSEUDONYMISE);
        assertThat(settings.accountMemory()).isEqualTo(new AccountMemorySettings(Duration.ofSeconds(1), 200_000));
        assertThat(settings.authAttemptJournal()).isEqualTo(new AuthAttemptJournalSettings(Duration.ofMillis(200), 100_000));

        String documented = Files.readString(repoRoot().resolve("config/parley.properties"));
        assertThat(config.keys()).allSatisfy(key -> assertThat(documented).contains("\n" + key + "="));
    }

    @Test
    void environmentOverridesReachTheSettingsAndSecretsStayOutOfThem() {
        Config config = Config.load(Optional.empty(), Map.of("PARLEY_SIP_MAX_MESSAGE_BYTES", "1300",
                "PARLEY_ADMIN_TOKEN", "from-env", "PARLEY_DB_PASSWORD", "db-secret"), Map.of());
        ServerSettings settings = ServerSettings.from(config);
        assertThat(settings.sip().maxMessageBytes()).isEqualTo(1300);
        assertThat(settings.adminToken()).map(Secret::reveal).hasValue("from-env");
        assertThat(settings.db().password()).isEqualTo("db-secret");
        assertThat(settings.toString()).doesNotContain("from-env").doesNotContain("db-secret");
    }

    @Test
    void eachModuleRefusesItsBadKeysThroughTheAssembly() {
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(),
                Map.of("PARLEY_SIP_UDP_PORT", "70000"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sip.udp.port")
                .hasMessageContaining("PARLEY_SIP_UDP_PORT");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("registrar.min-expires", "600", "registrar.max-expires", "300"))))
                .hasMessageContaining("registrar.max-expires");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("tls.certificate", "/etc/cert.pem"))))
                .hasMessageContaining("tls.private-key");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("auth.algorithms", "SHA-1"))))
                .hasMessageContaining("auth.algorithms");
        // issue 13 §1, §4: accounts in memory and the auth attempts journal
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("accounts.memory.change-poll-ms", "0"))))
                .hasMessageContaining("accounts.memory.change-poll-ms");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("accounts.memory.max-entries", "lots"))))
                .hasMessageContaining("accounts.memory.max-entries");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("auth.attempts.flush-window-ms", "-1"))))
                .hasMessageContaining("auth.attempts.flush-window-ms");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("auth.attempts.queue-records", "0"))))
                .hasMessageContaining("auth.attempts.queue-records");
        assertThatThrownBy(() -> ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("parley.domain", ""))))
                .hasMessageContaining("parley.domain");
        assertThatThrownBy(() -> Config.load(Optional.empty(), Map.of(), Map.of("no.such.key", "1")))
                .hasMessageContaining("no.such.key");
    }

    @Test
    void modulesThatShareAKeyGetTheSameValue() {
        ServerSettings settings = ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("sip.bind-address", "192.0.2.10", "sip.fd-reserve", "800", "data.dir", "parley-data")));
        assertThat(settings.sip().advertisedAddress()).isEqualTo("192.0.2.10");
        assertThat(settings.msrp().bindAddress()).as("the relay binds where SIP does").isEqualTo(settings.sip().bindAddress());
        assertThat(settings.msrp().advertisedHost()).as("and names the SIP advertised address").isEqualTo("192.0.2.10");
        assertThat(settings.http().maxConnections()).as("an eighth of the SIP reserve").isEqualTo(100);
        assertThat(settings.db().jdbcUrl()).contains(Path.of("parley-data", "db", "parley").toString());
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
