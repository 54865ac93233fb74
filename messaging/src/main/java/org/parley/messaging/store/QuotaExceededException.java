package org.parley.messaging.store;

/** The recipient's offline store is full: the sender is told, nothing is dropped silently. */
public final class QuotaExceededException extends RuntimeException {
    private final StoreUsage usage;

    public QuotaExceededException(StoreUsage usage, Quota quota) {
        super("offline store full: " + usage.messages() + "/" + quota.maxMessages() + " messages, "
                + usage.bytes() + "/" + quota.maxBytes() + " bytes");
        this.usage = usage;
    }

    public StoreUsage usage() {
        return usage;
    }
}
