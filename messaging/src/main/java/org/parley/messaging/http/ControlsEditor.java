package org.parley.messaging.http;

import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.MessagingControls;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Read-modify-write of one user's controls. The store offers no compare-and-set, so updates to the
 * same user are serialised here; the locks are shared by every editor in the process, so that an
 * operator's PATCH and the user's own cannot lose each other's change. Locks rather than
 * {@code synchronized}, which would pin Helidon's virtual threads to their carriers during the store I/O.
 */
final class ControlsEditor {
    private static final ReentrantLock[] STRIPES = stripes(64);

    private final ControlsStore store;

    ControlsEditor(ControlsStore store) {
        this.store = store;
    }

    MessagingControls get(String username) {
        return store.get(username);
    }

    MessagingControls update(String username, UnaryOperator<MessagingControls> change) {
        ReentrantLock lock = STRIPES[Math.floorMod(username.hashCode(), STRIPES.length)];
        lock.lock();
        try {
            MessagingControls updated = change.apply(store.get(username));
            store.put(username, updated);
            return updated;
        } finally {
            lock.unlock();
        }
    }

    private static ReentrantLock[] stripes(int count) {
        ReentrantLock[] locks = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new ReentrantLock();
        }
        return locks;
    }
}
