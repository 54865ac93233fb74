package org.parley.http;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Named readiness flags behind {@code GET /health}. The assembly registers every check before it
 * starts serving, so the server reports DOWN until each part (database, http, sip...) says it is up.
 */
public final class Readiness {
    private final Map<String, Boolean> checks = new ConcurrentSkipListMap<>();

    /** Adds a check in the DOWN state unless it is already known. */
    public void register(String name) {
        checks.putIfAbsent(name, false);
    }

    public void up(String name) {
        checks.put(name, true);
    }

    public void down(String name) {
        checks.put(name, false);
    }

    /** Ready only when at least one check exists and all are up: an empty set means nothing started. */
    public boolean ready() {
        return !checks.isEmpty() && !checks.containsValue(false);
    }

    /** A sorted copy, true meaning up. */
    public Map<String, Boolean> snapshot() {
        return Collections.unmodifiableMap(new TreeMap<>(checks));
    }
}
