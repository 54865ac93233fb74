package org.parley.messaging.store;

import java.time.Clock;
import java.time.Duration;
import org.parley.accounts.TtlCache;

/**
 * Messaging settings read on every MESSAGE (sender's and recipient's), kept in memory for a few
 * seconds; a change through this store is seen at once.
 */
public final class CachingControlsStore implements ControlsStore {
    private final ControlsStore delegate;
    private final TtlCache<String, MessagingControls> cache;

    public CachingControlsStore(ControlsStore delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.cache = new TtlCache<>(ttl, clock);
    }

    @Override
    public MessagingControls get(String username) {
        return cache.get(username, delegate::get);
    }

    @Override
    public void put(String username, MessagingControls controls) {
        try {
            delegate.put(username, controls);
        } finally {
            cache.clear();
        }
    }

    @Override
    public void delete(String username) {
        try {
            delegate.delete(username);
        } finally {
            cache.clear();
        }
    }
}
