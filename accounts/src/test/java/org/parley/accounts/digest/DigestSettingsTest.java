package org.parley.accounts.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttemptData;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

/** auth.algorithms, auth.nonce-ttl-seconds and accounts.deletion.auth-attempts, read by this module (issue 14 §6). */
@DisplayName("C1, C14, RFC 7616 §3.7, RFC 8760: the digest every door offers is read here; bad values are named")
class DigestSettingsTest {
    @Test
    @DisplayName("default: MD5 alone (the one algorithm every tested client answers), nonces good for 300 s")
    void defaults() {
        DigestSettings s = DigestSettings.from(Configs.overriding(Map.of()));
        assertThat(s.algorithms()).containsExactly(DigestAlgorithm.MD5);
        assertThat(s.nonceTtl()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    @DisplayName("the operator's order is the order of the challenges")
    void order() {
        assertThat(DigestSettings.from(Configs.overriding(Map.of("auth.algorithms", "SHA-256, MD5"))).algorithms())
                .containsExactly(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    }

    @Test
    @DisplayName("an unknown or missing algorithm, or a bad nonce lifetime, is refused naming the key")
    void refusals() {
        for (String bad : new String[] {"SHA-1", "", "MD5,SHA-512-256", "MD5-sess"}) {
            assertThatThrownBy(() -> DigestSettings.from(Configs.overriding(Map.of("auth.algorithms", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("auth.algorithms")
                    .hasMessageContaining("SHA-256, MD5");
        }
        assertThatThrownBy(() -> DigestSettings.from(Configs.overriding(Map.of("auth.nonce-ttl-seconds", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.nonce-ttl-seconds");
    }

    @Test
    @DisplayName("PP2-5: a deleted account's login attempts are deleted unless the operator keeps them")
    void attemptRetention() {
        assertThat(AuthAttemptData.Retention.from(Configs.overriding(Map.of())))
                .isEqualTo(AuthAttemptData.Retention.DELETE);
        assertThat(AuthAttemptData.Retention.from(Configs.overriding(Map.of("accounts.deletion.auth-attempts", "keep"))))
                .isEqualTo(AuthAttemptData.Retention.KEEP);
        assertThatThrownBy(() -> AuthAttemptData.Retention.from(Configs.overriding(
                Map.of("accounts.deletion.auth-attempts", "archive"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("accounts.deletion.auth-attempts");
    }
}
