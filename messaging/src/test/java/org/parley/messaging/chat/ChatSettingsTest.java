package org.parley.messaging.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigException;
import org.parley.testkit.Configs;

@DisplayName("PP2-6, PP-49, RFC 4028: chat sessions read their own chat.* keys; bad ones are named")
class ChatSettingsTest {
    @Test
    @DisplayName("the documented defaults: 1800 s sessions, Min-SE 90, no duration limit, 100 MB files, nothing kept unless asked (PP-38, PP-42)")
    void defaults() {
        ChatSettings s = ChatSettings.from(Configs.overriding(Map.of()));
        assertThat(s.sessionExpires()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(s.minSessionExpires()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.maxDuration()).isZero();
        assertThat(s.maxFileBytes()).isEqualTo(104_857_600L);
        assertThat(s.maxMessageBytes()).isZero();
        assertThat(s.maxFiles()).isZero();
        assertThat(s.storeAll()).isFalse();
        assertThat(s.storeMaxBytes()).isEqualTo(1_048_576);
        assertThat(ChatSettings.from(Configs.overriding(Map.of("chat.store-messages", "all"))).storeAll()).isTrue();
    }

    @Test
    @DisplayName("RFC 4028 §4: Min-SE below 90 s, a session interval below Min-SE, negative limits and words are refused with the key named")
    void malformedValuesNameTheirKey() {
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.min-session-expires-seconds", "30"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("chat.min-session-expires-seconds");
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.session-expires-seconds", "60"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("chat.session-expires-seconds");
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.max-file-bytes", "-1"))))
                .hasMessageContaining("chat.max-file-bytes");
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.max-files", "many"))))
                .hasMessageContaining("chat.max-files");
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.max-duration-seconds", "1.5"))))
                .hasMessageContaining("chat.max-duration-seconds");
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.store-messages", "some"))))
                .hasMessageContaining("chat.store-messages").hasMessageContaining("none or all");
        assertThatThrownBy(() -> ChatSettings.from(Configs.overriding(Map.of("chat.store-max-message-bytes", "0"))))
                .hasMessageContaining("chat.store-max-message-bytes");
    }

    @Test
    @DisplayName("RFC 4028 §4: Session-Expires and Min-SE values are read with their refresher; malformed ones are not values")
    void sessionExpiresValues() {
        assertThat(SessionExpires.parse("1800")).contains(new SessionExpires(1800, Optional.empty()));
        assertThat(SessionExpires.parse(" 90 ; refresher = UAS ;x=1")).contains(new SessionExpires(90, Optional.of("uas")));
        assertThat(SessionExpires.parse("120;refresher=uac").orElseThrow().toString()).isEqualTo("120;refresher=uac");
        for (String bad : new String[] {"", "abc", "-5", "12345678901", "90;", "90 refresher=uac", "90;refresher=uac=x",
                "9\u00000"}) {
            assertThat(SessionExpires.parse(bad)).as(bad).isEmpty();
        }
    }
}
