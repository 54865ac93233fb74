package org.parley.messaging.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what each recipient has waiting ({@link StoreUsage}) in memory, so that the questions asked
 * for every MESSAGE — "is anything waiting for this recipient, so that this one must queue behind
 * it?" (MT-3) — and for every REGISTER — "is anything waiting to be delivered now?" (UC 5.13) — cost
 * no database round trip. Every recipient with something waiting is known: all are read at start,
 * in one query, and a recipient's figures are read again after every change this store makes for
 * it (store, removal, account deletion), so they are always what the database says — a count is
 * never kept by adding and subtracting, which a concurrent read could count twice. A recipient
 * not known has nothing waiting (no read at all).
 *
 * <p>The quota check itself stays in the store's transaction (it must hold across nodes). Changes
 * made to the table by anything other than this object are not seen until the next change for the
 * recipient: on one node everything goes through here; a cluster needs a shared engine instead.
 */
public final class CountingOfflineStore implements OfflineStore {
    private static final StoreUsage NOTHING = new StoreUsage(0, 0, 0);

    private final OfflineStore delegate;
    /** Recipients with something waiting; the map holds no others, so it stays as small as the store. */
    private final Map<String, StoreUsage> usage = new ConcurrentHashMap<>();
    /**
     * Recipients whose figures could not be read again after a change (the database failed just
     * then): read when next asked, so a committed change is never hidden by a failed read after it.
     */
    private final Set<String> unread = ConcurrentHashMap.newKeySet();

    /** Reads what waits for every recipient: construct it before the first message is stored. */
    public CountingOfflineStore(OfflineStore delegate) {
        this.delegate = delegate;
        usage.putAll(delegate.usageOfAll());
    }

    @Override
    public StoredMessage store(NewStoredMessage message, Quota quota) {
        try {
            return delegate.store(message, quota);
        } finally {
            // after the commit (or its failure): whoever asks next learns what is really there
            rereadAfterChange(message.recipientAor());
        }
    }

    /**
     * From memory: a recipient not known has nothing waiting. Only a recipient whose figures could
     * not be read after its last change is read here (and a failure then is the caller's, as any read's).
     */
    @Override
    public StoreUsage usage(String recipientAor) {
        if (!unread.isEmpty() && unread.contains(recipientAor)) {
            reread(recipientAor);
        }
        return usage.getOrDefault(recipientAor, NOTHING);
    }

    /** From memory, which holds every recipient with something waiting. */
    @Override
    public Map<String, StoreUsage> usageOfAll() {
        return Map.copyOf(usage);
    }

    /**
     * The recipient's figures read again, inside the map's compute: reads for one recipient take
     * turns, and each starts after the change it follows was committed, so the last one sees every
     * change before it.
     */
    private void reread(String recipientAor) {
        try {
            usage.compute(recipientAor, (aor, old) -> {
                StoreUsage now = delegate.usage(aor);
                return now.messages() == 0 ? null : now;
            });
            unread.remove(recipientAor);
        } catch (RuntimeException e) {
            unread.add(recipientAor);
            throw e;
        }
    }

    /**
     * {@link #reread} after a change, whose outcome a failing read must not turn into a failure: a
     * message committed and then reported as not stored would be sent again.
     */
    private void rereadAfterChange(String recipientAor) {
        try {
            reread(recipientAor);
        } catch (RuntimeException e) {
            // marked unread: the next question reads it
        }
    }

    @Override
    public boolean remove(StoredMessage message) {
        try {
            return delegate.remove(message);
        } finally {
            rereadAfterChange(message.recipientAor());
        }
    }

    @Override
    public int removeConcerning(String aor) {
        try {
            return delegate.removeConcerning(aor);
        } finally {
            // it also removed what this account sent to others, whom nothing names: every recipient
            // with something waiting is read again (an account deletion is rare)
            rereadAfterChange(aor);
            for (String recipient : List.copyOf(usage.keySet())) {
                rereadAfterChange(recipient);
            }
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
