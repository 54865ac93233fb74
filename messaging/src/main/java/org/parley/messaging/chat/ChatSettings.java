package org.parley.messaging.chat;

import java.time.Duration;
import org.parley.config.Config;

/**
 * The operator's rules for chat sessions routed through Parley (MU-1, PP2-6, PP-49, RFC 4028).
 *
 * @param sessionExpires    the Session-Expires Parley puts in an INVITE that has none, and the
 *                          longest it lets through (a longer one is lowered, RFC 4028 §8.1)
 * @param minSessionExpires Parley's Min-SE: a shorter Session-Expires is answered 422 (at least 90 s)
 * @param maxDuration       a session is ended with BYE after this long; zero for no limit
 * @param maxMessageBytes   the largest MSRP message the relay carries in a session (413 above), and the most
 *                          octets a file offer may send in one (its a=file-range, else the file: 488 above);
 *                          0 for no limit
 * @param maxFileBytes      the largest file a file transfer may offer, the whole file even when a resumed
 *                          transfer sends a range of it (488 above); 0 for no limit
 * @param maxFiles          files (non-text messages, RFC 5547 transfers) per session (403 above); 0 for no limit
 * @param storeAll          the operator keeps every session message for its recipient (PP-38)
 * @param storeMaxBytes     the largest session message kept (by policy or on request); larger ones are not kept
 */
public record ChatSettings(Duration sessionExpires, Duration minSessionExpires, Duration maxDuration,
                           long maxMessageBytes, long maxFileBytes, int maxFiles, boolean storeAll,
                           int storeMaxBytes) {
    /** RFC 4028 §4: Min-SE is never below 90 seconds. */
    static final Duration RFC_4028_MINIMUM = Duration.ofSeconds(90);

    public ChatSettings {
        if (minSessionExpires.compareTo(RFC_4028_MINIMUM) < 0 || sessionExpires.compareTo(minSessionExpires) < 0) {
            throw new IllegalArgumentException("need 90 s <= min session expires <= session expires");
        }
    }

    /** The {@code chat.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static ChatSettings from(Config c) {
        int min = c.positive("chat.min-session-expires-seconds");
        if (min < RFC_4028_MINIMUM.toSeconds()) {
            throw c.invalid("chat.min-session-expires-seconds", "must be at least 90 (RFC 4028 section 4)");
        }
        int expires = c.positive("chat.session-expires-seconds");
        if (expires < min) {
            throw c.invalid("chat.session-expires-seconds", "must not be below chat.min-session-expires-seconds");
        }
        String store = c.string("chat.store-messages");
        if (!store.equals("none") && !store.equals("all")) {
            throw c.invalid("chat.store-messages", "must be none or all");
        }
        return new ChatSettings(Duration.ofSeconds(expires), Duration.ofSeconds(min),
                Duration.ofSeconds(c.nonNegative("chat.max-duration-seconds")), c.nonNegativeLong("chat.max-message-bytes"),
                c.nonNegativeLong("chat.max-file-bytes"), c.nonNegative("chat.max-files"), store.equals("all"),
                c.positive("chat.store-max-message-bytes"));
    }
}
