package org.parley.messaging.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what each recipient has waiting ({@link StoreUsage}) in memory, so that the question every
 * MESSAGE asks — "is anything waiting for this recipient, so that this one must queue behind it?"
 * (MT-3) — costs no database round trip. A recipient's figures are read from the store the first
 * time they are asked for and read again after every change this store makes for that recipient
 * (store, removal, account deletion), so they are always what the database says: a count is never
 * kept by adding and subtracting, which a concurrent first read could count twice.
 *
 * <p>The quota check itself stays in the store's transaction (it must hold across nodes). Changes
 * made to the table by anything other than this object are not seen until the next change for the
 * recipient: on one node everything goes through here; a cluster needs a shared engine instead.
 */
public final class CountingOfflineStore implements OfflineStore {
    /** More recipients than this are forgotten all at once (rare; each costs one read again). */
    private static final int MAX_RECIPIENTS = 1_000_000;

    private final OfflineStore delegate;
    private final Map<String, StoreUsage> usage = new ConcurrentHashMap<>();

    public CountingOfflineStore(OfflineStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public StoredMessage store(NewStoredMessage message, Quota quota) {
        try {
            return delegate.store(message, quota);
        } finally {
            // after the commit (or its failure): the next question reads what is really there
            usage.remove(message.recipientAor());
        }
    }

    /**
     * The recipient's figures, read from the store only when not known. The read runs inside the
     * map's compute, so a change finishing meanwhile waits for it and then discards what it read.
     */
    @Override
    public StoreUsage usage(String recipientAor) {
        StoreUsage known = usage.get(recipientAor);
        if (known != null) {
            return known;
        }
        if (usage.size() >= MAX_RECIPIENTS) {
            usage.clear();
        }
        return usage.computeIfAbsent(recipientAor, delegate::usage);
    }

    @Override
    public boolean remove(StoredMessage message) {
        try {
            return delegate.remove(message);
        } finally {
            usage.remove(message.recipientAor());
        }
    }

    @Override
    public int removeConcerning(String aor) {
        try {
            return delegate.removeConcerning(aor);
        } finally {
            // it also removed what this account sent to others, for whom nothing says who they are
            usage.clear();
        }
    }

    @Override
    public List<StoredMessage> pending(String recipientAor, int limit) {
        return delegate.pending(recipientAor, limit);
    }

    @Override
    public void attempted(UUID id) {
        delegate.attempted(id);
    }

    @Override
    public List<StoredMessage> expired(Instant now, int limit) {
        return delegate.expired(now, limit);
    }

    @Override
    public List<StoredMessage> concerning(String aor) {
        return delegate.concerning(aor);
    }

    @Override
    public List<String> recipientsWithPending() {
        return delegate.recipientsWithPending();
    }
}
