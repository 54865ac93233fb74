package org.parley.messaging.store;

import java.util.Set;

/**
 * Per-account message limits (MO-2, PP2-17): body size, rate, daily volume, allowed content
 * types (empty = any), and the offline quota. Defaults come from the configuration; an account
 * may have its own.
 */
public record Limits(int maxBodyBytes, int messagesPerMinute, int messagesPerDay, long bytesPerDay,
                     Set<String> allowedContentTypes, int offlineMaxMessages, long offlineMaxBytes) {
    public Limits {
        allowedContentTypes = Set.copyOf(allowedContentTypes);
    }

    public Quota offlineQuota() {
        return new Quota(offlineMaxMessages, offlineMaxBytes);
    }
}
