package org.parley.messaging.chat;

import java.time.Instant;
import java.util.UUID;

/**
 * A chat session message kept for one user (PP-38, PP-42): who sent it to whom in which session
 * (Call-ID), its MSRP Message-ID and content type, when it was kept, and the body as it crossed
 * the relay.
 *
 * @param owner the user name it is kept for (sender or recipient)
 */
public record SessionMessage(UUID id, String owner, String callId, String sender, String recipient, String messageId,
                             String contentType, Instant storedAt, byte[] body) {
}
