package org.parley.messaging.store;

import org.parley.accounts.LookupMemory;

/**
 * Messaging settings read on every MESSAGE (sender's and recipient's), held in memory until they
 * change. Every change while the server runs comes through this store (the user and admin APIs,
 * account deletion) and forgets that user's entry at once; {@link #forgetAll} follows the accounts'
 * change marker, for an account deleted and made anew by another process.
 */
public final class CachingControlsStore implements ControlsStore {
    private final ControlsStore delegate;
    private final LookupMemory<String, MessagingControls> memory;

    public CachingControlsStore(ControlsStore delegate, int maxEntries) {
        this.delegate = delegate;
        this.memory = new LookupMemory<>(maxEntries);
    }

    @Override
    public MessagingControls get(String username) {
        return memory.get(username, delegate::get);
    }

    @Override
    public void put(String username, MessagingControls controls) {
        try {
            delegate.put(username, controls);
        } finally {
            memory.forget(username);
        }
    }

    @Override
    public void delete(String username) {
        try {
            delegate.delete(username);
        } finally {
            memory.forget(username);
        }
    }

    public void forgetAll() {
        memory.forgetAll();
    }
}
