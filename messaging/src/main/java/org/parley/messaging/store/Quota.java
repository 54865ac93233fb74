package org.parley.messaging.store;

/** How much one recipient may have waiting: messages and bytes (of the stored requests). */
public record Quota(int maxMessages, long maxBytes) {
}
