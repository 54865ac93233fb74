package org.parley.messaging;

import java.time.Duration;
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
}
