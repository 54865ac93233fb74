package org.parley.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** C1: the one configuration file, its defaults and its overrides (flag > env > file > defaults), key by key. */
@DisplayName("C1, GO-4 configuration: defaults, --config file, PARLEY_* environment, flags; bad input names its key")
class ConfigTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path file = dir.resolve("parley.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void theDefaultsAreTheDocumentedFileBesideThisModule() throws IOException {
        Config config = Config.load(Optional.empty(), Map.of(), Map.of());

        String documented = Files.readString(Path.of("parley.properties"));
        assertThat(config.keys()).isNotEmpty().allSatisfy(key -> assertThat(documented).contains("\n" + key + "="));
        assertThat(config.string("sip.udp.port")).isEqualTo("5060");
    }

    @Test
    void precedenceIsFlagThenEnvironmentThenFileThenDefaults() throws IOException {
        Path file = file("""
                sip.udp.port=6000
                http.port=6001
                parley.domain=file.example
                """);
        Config config = Config.load(Optional.of(file),
                Map.of("PARLEY_HTTP_PORT", "7001", "PARLEY_PARLEY_DOMAIN", "env.example"),
                Map.of("parley.domain", "flag.example"));

        assertThat(config.string("parley.domain")).isEqualTo("flag.example");
        assertThat(config.port("http.port")).isEqualTo(7001);
        assertThat(config.port("sip.udp.port")).isEqualTo(6000);
        assertThat(config.port("sip.tcp.port")).isEqualTo(5060);
    }

    @Test
    void environmentNamesReplaceDotsAndDashes() {
        assertThat(Config.envName("sip.udp.port")).isEqualTo("PARLEY_SIP_UDP_PORT");
        assertThat(Config.envName("sip.max-message-bytes")).isEqualTo("PARLEY_SIP_MAX_MESSAGE_BYTES");

        Config config = Config.load(Optional.empty(), Map.of("PARLEY_SIP_MAX_MESSAGE_BYTES", " 1300 "), Map.of());
        assertThat(config.positive("sip.max-message-bytes")).isEqualTo(1300);
    }

    @Test
    void unknownKeysAreNamedWithTheirSource() throws IOException {
        Path file = file("sip.udp.prot=5070\n");
        assertThatThrownBy(() -> Config.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sip.udp.prot")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> Config.load(Optional.empty(), Map.of(), Map.of("no.such.key", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no.such.key")
                .hasMessageContaining("command line");
    }

    @Test
    void badValuesAreNamedWithTheirValueAndSource() throws IOException {
        Path file = file("http.port=eighty\n");
        Config fromFile = Config.load(Optional.of(file), Map.of(), Map.of());
        assertThatThrownBy(() -> fromFile.port("http.port"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port")
                .hasMessageContaining("eighty")
                .hasMessageContaining(file.toString());

        Config fromEnv = Config.load(Optional.empty(), Map.of("PARLEY_SIP_UDP_PORT", "70000",
                "PARLEY_MESSAGING_SUBMISSION_ENABLED", "yes", "PARLEY_SIP_MAX_MESSAGE_BYTES", "0",
                "PARLEY_PARLEY_DOMAIN", ""), Map.of());
        assertThatThrownBy(() -> fromEnv.port("sip.udp.port"))
                .hasMessageContaining("sip.udp.port").hasMessageContaining("PARLEY_SIP_UDP_PORT");
        assertThatThrownBy(() -> fromEnv.bool("messaging.submission-enabled"))
                .hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> fromEnv.positive("sip.max-message-bytes"))
                .hasMessageContaining("must be greater than 0");
        assertThatThrownBy(() -> fromEnv.required("parley.domain"))
                .hasMessageContaining("must not be empty");
    }

    @Test
    void secondsArePositiveWholeNumbers() {
        Config config = Config.load(Optional.empty(), Map.of("PARLEY_SIP_IDLE_SECONDS", "90"),
                Map.of("registrar.min-expires", "0", "registrar.max-expires", "1.5"));
        assertThat(config.seconds("sip.idle-seconds")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> config.seconds("registrar.min-expires")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("registrar.min-expires").hasMessageContaining("must be greater than 0");
        assertThatThrownBy(() -> config.seconds("registrar.max-expires")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("registrar.max-expires").hasMessageContaining("is not a whole number");
    }

    private enum Retention { DELETE, KEEP }

    @Test
    void choicesAreOneOfTheirConstantsInAnyCase() {
        Config config = Config.load(Optional.empty(), Map.of("PARLEY_ACCOUNTS_DELETION_AUTH_ATTEMPTS", "Keep"),
                Map.of("accounts.deletion.usage-records", "forget"));
        assertThat(config.choice("accounts.deletion.auth-attempts", Retention.class)).isEqualTo(Retention.KEEP);
        assertThatThrownBy(() -> config.choice("accounts.deletion.usage-records", Retention.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("accounts.deletion.usage-records")
                .hasMessageContaining("forget")
                .hasMessageContaining("must be one of delete, keep");
    }

    @Test
    void unreadableFileIsAnError() {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> Config.load(Optional.of(missing), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }
}
