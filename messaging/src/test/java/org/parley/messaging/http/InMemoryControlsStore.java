package org.parley.messaging.http;

import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.MessagingControls;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory ControlsStore for the HTTP tests of PP-10, PP-11 and PP2-23.
 * A ControlsStore in a map, so the HTTP tests exercise the resources and not the database. */
final class InMemoryControlsStore implements ControlsStore {
    final Map<String, MessagingControls> stored = new ConcurrentHashMap<>();

    @Override
    public MessagingControls get(String username) {
        return stored.getOrDefault(username, MessagingControls.DEFAULT);
    }

    @Override
    public void put(String username, MessagingControls controls) {
        stored.put(username, controls);
    }

    @Override
    public void delete(String username) {
        stored.remove(username);
    }
}
