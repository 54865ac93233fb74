package org.parley.messaging.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A pager-mode message held for a recipient who could not take it (MU-3, UC 5.13 alternative
 * flow). {@code request} is the SIP MESSAGE as Parley accepted it (after privacy and identity
 * handling), byte-exact, so that what is delivered later is what was sent (MT-4, PP-7).
 *
 * @param sequence       store-wide order of arrival: delivery is oldest first (MT-3, PP2-13)
 * @param imdnMessageId  the IMDN Message-ID when the sender asked for notifications (RFC 5438)
 * @param imdnRequested  the IMDN notifications asked for ("positive-delivery", "negative-delivery", ...)
 * @param attempts       how many delivery attempts have failed so far
 */
public record StoredMessage(UUID id, long sequence, String recipientAor, String sender, Instant submittedAt,
                            Instant expiresAt, String contentType, int size, Optional<String> imdnMessageId,
                            String imdnRequested, byte[] request, int attempts) {
}
