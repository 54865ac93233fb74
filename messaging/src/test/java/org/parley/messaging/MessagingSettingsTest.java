package org.parley.messaging;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.messaging.http.MessagingAccountData;
import org.parley.testkit.Configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("C1, C2, C9, PP2-17: messaging reads its own messaging.* keys; bad ones are named")
class MessagingSettingsTest {
    @Test
    void contentTypesAreListedInLowerCaseAndDurationsInSeconds() {
        MessagingSettings settings = MessagingSettings.from(Configs.overriding(Map.of(
                "messaging.allowed-content-types", " Text/Plain, ,message/CPIM ", "messaging.retry-seconds", "45")));
        assertThat(settings.limits().allowedContentTypes()).containsExactlyInAnyOrder("text/plain", "message/cpim");
        assertThat(settings.retryInterval()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.submissionEnabled()).isTrue();
    }

    @Test
    void malformedValuesNameTheirKey() {
        assertThatThrownBy(() -> MessagingSettings.from(Configs.overriding(Map.of("messaging.delivery-enabled", "yes"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("messaging.delivery-enabled")
                .hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> MessagingSettings.from(Configs.overriding(Map.of("messaging.bytes-per-day", "-5"))))
                .hasMessageContaining("messaging.bytes-per-day").hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> MessagingSettings.from(Configs.overriding(Map.of("messaging.service-user", " "))))
                .hasMessageContaining("messaging.service-user").hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> MessagingSettings.from(Configs.overriding(Map.of("messaging.offline-max-messages", "0"))))
                .hasMessageContaining("messaging.offline-max-messages").hasMessageContaining("must be greater than 0");
    }

    @Test
    @DisplayName("PP2-5: a deleted account's usage records are pseudonymised by default, or kept as they are")
    void usageRecordRetention() {
        assertThat(MessagingAccountData.UsageRetention.from(Configs.overriding(Map.of())))
                .isEqualTo(MessagingAccountData.UsageRetention.PSEUDONYMISE);
        assertThat(MessagingAccountData.UsageRetention.from(Configs.overriding(
                Map.of("accounts.deletion.usage-records", "keep")))).isEqualTo(MessagingAccountData.UsageRetention.KEEP);
        assertThatThrownBy(() -> MessagingAccountData.UsageRetention.from(Configs.overriding(
                Map.of("accounts.deletion.usage-records", "delete"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("accounts.deletion.usage-records")
                .hasMessageContaining("must be one of pseudonymise, keep");
    }
}
