package org.parley.messaging.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What the messaging server hands the store; the store assigns id and sequence.
 *
 * @param contentType the type of what the message carries: for a message/cpim wrapper its
 *                    encapsulated type without parameters, so that IMDN reports
 *                    ({@code message/imdn+xml}) are told from messages
 */
public record NewStoredMessage(String recipientAor, String sender, Instant submittedAt, Instant expiresAt,
                               String contentType, Optional<String> imdnMessageId, String imdnRequested,
                               byte[] request) {
    public int size() {
        return request.length;
    }
}
