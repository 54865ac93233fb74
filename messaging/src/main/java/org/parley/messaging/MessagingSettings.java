package org.parley.messaging;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.parley.config.Config;
import org.parley.messaging.store.Limits;

/**
 * The operator's messaging configuration (C2, C9).
 *
 * @param submissionEnabled    system-wide switch for sending (PP-10)
 * @param deliveryEnabled      system-wide switch for delivering (PP-10)
 * @param allowAnonymous       whether senders may hide their identity (PP-22, PP-23)
 * @param nonDeliveryNotices   whether senders are told of messages that expired undelivered (PP2-32)
 * @param defaultExpiry        how long a stored message waits when the sender gave no Expires (PP2-34)
 * @param maxExpiry            the longest a sender may ask for
 * @param systemRatePerSecond  cap on submissions for the whole server; above it 503 with Retry-After (PP2-18)
 * @param limits               per-account defaults (MO-2, PP2-17), overridable per account
 * @param serviceUser          the user part of the service address notices come from (sip:USER@domain)
 * @param retryInterval        how soon a stored message is tried again while its recipient is registered
 */
public record MessagingSettings(boolean submissionEnabled, boolean deliveryEnabled, boolean allowAnonymous,
                                boolean nonDeliveryNotices, Duration defaultExpiry, Duration maxExpiry,
                                int systemRatePerSecond, Limits limits, String serviceUser, Duration retryInterval) {

    /** The {@code messaging.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static MessagingSettings from(Config c) {
        Limits limits = new Limits(c.nonNegative("messaging.max-body-bytes"), c.nonNegative("messaging.messages-per-minute"),
                c.nonNegative("messaging.messages-per-day"), c.nonNegativeLong("messaging.bytes-per-day"),
                Set.copyOf(c.list("messaging.allowed-content-types").stream().map(t -> t.toLowerCase(Locale.ROOT)).toList()),
                c.positive("messaging.offline-max-messages"), c.nonNegativeLong("messaging.offline-max-bytes"));
        return new MessagingSettings(c.bool("messaging.submission-enabled"),
                c.bool("messaging.delivery-enabled"), c.bool("messaging.allow-anonymous"),
                c.bool("messaging.non-delivery-notices"), c.seconds("messaging.default-expiry-seconds"),
                c.seconds("messaging.max-expiry-seconds"), c.nonNegative("messaging.system-rate-per-second"),
                limits, c.required("messaging.service-user"), c.seconds("messaging.retry-seconds"));
    }
}
