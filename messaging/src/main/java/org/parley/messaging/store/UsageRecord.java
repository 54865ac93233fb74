package org.parley.messaging.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One message event, as charging needs it (PP2-6, PP-49): who to whom, how big, what type, when
 * sent and delivered, and the access each side used (transport and P-Access-Network-Info, so
 * cellular and Internet access can be told apart).
 *
 * @param messageRef ties the records of one message together (the Call-ID of the submission)
 * @param detail     the reason of a refusal or expiry, the device that took a delivery, ...
 */
public record UsageRecord(Instant at, UsageEvent event, String sender, String recipient, long size,
                          String contentType, Instant sentAt, Optional<Instant> deliveredAt,
                          Optional<String> senderAccess, Optional<String> recipientAccess, String messageRef,
                          Optional<String> detail) {
}
