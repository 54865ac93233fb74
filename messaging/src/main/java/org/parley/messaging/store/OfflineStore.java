package org.parley.messaging.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Durable store-and-forward of pager-mode messages (MU-3, MT-3, PP2-13, PP2-33/34). A message
 * is on disk, committed, when {@link #store} returns: only then may the sender get 202.
 */
public interface OfflineStore {
    /**
     * Stores the message unless the recipient's quota would be exceeded; the check and the insert
     * are atomic with respect to other stores for the same recipient.
     *
     * @throws QuotaExceededException when it does not fit
     */
    StoredMessage store(NewStoredMessage message, Quota quota);

    /** The recipient's waiting messages, oldest first (by sequence), at most {@code limit}. */
    List<StoredMessage> pending(String recipientAor, int limit);

    /** Removes a message (delivered or expired); false when it was already gone. */
    boolean remove(StoredMessage message);

    /** Counts one more failed delivery attempt. */
    void attempted(UUID id);

    /** Messages whose expiry is at or before {@code now}, oldest expiry first, at most {@code limit}. */
    List<StoredMessage> expired(Instant now, int limit);

    StoreUsage usage(String recipientAor);

    /** The messages waiting for {@code aor} or sent by it and waiting for others, oldest first (PP2-5). */
    List<StoredMessage> concerning(String aor);

    /** Removes every message waiting for {@code aor} or sent by it (account deletion); returns how many. */
    int removeConcerning(String aor);

    /** Every recipient with at least one waiting message (for delivery after a restart). */
    List<String> recipientsWithPending();

    /** What each recipient with at least one waiting message has waiting (read once at start, see {@link CountingOfflineStore}). */
    default Map<String, StoreUsage> usageOfAll() {
        Map<String, StoreUsage> all = new HashMap<>();
        for (String recipient : recipientsWithPending()) {
            all.put(recipient, usage(recipient));
        }
        return all;
    }
}
