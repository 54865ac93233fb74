package org.parley.sip.transaction;

import java.util.HashMap;
import java.util.Map;

/**
 * The running timers of one transaction by their RFC 3261 letter. Guarded by the transaction's
 * lock. A firing counts only while it is still the current timer of its name: a timer stopped or
 * replaced while its task was already waiting for the lock does nothing.
 */
final class Timers {
    private record Running(Object token, Cancellable cancellable) {
    }

    private final Map<String, Running> running = new HashMap<>();

    void put(String name, Object token, Cancellable cancellable) {
        Running old = running.put(name, new Running(token, cancellable));
        if (old != null) {
            old.cancellable().cancel();
        }
    }

    boolean claim(String name, Object token) {
        Running r = running.get(name);
        if (r == null || r.token() != token) {
            return false;
        }
        running.remove(name);
        return true;
    }

    void stop(String name) {
        Running r = running.remove(name);
        if (r != null) {
            r.cancellable().cancel();
        }
    }

    void stopAll() {
        running.values().forEach(r -> r.cancellable().cancel());
        running.clear();
    }
}
