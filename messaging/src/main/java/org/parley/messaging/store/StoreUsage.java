package org.parley.messaging.store;

/** What one recipient has waiting now. */
public record StoreUsage(int messages, long bytes) {
}
