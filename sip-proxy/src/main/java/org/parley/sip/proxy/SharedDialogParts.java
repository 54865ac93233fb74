package org.parley.sip.proxy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.sip.transport.Flow;

/**
 * The parts of subscription dialogs that many of them have in common, kept once: a device watches
 * all its buddies over one flow, and subscriptions through the same proxies have the same route
 * set. Equal values become one instance, so each dialog holds a reference instead of a copy.
 * Bounded: past the limit the map starts afresh (what dialogs hold stays valid).
 */
final class SharedDialogParts {
    private static final int MAX = 100_000;

    private final Map<Flow, Flow> flows = new ConcurrentHashMap<>();
    private final Map<List<String>, List<String>> routeSets = new ConcurrentHashMap<>();

    Flow flow(Flow f) {
        return one(flows, f);
    }

    List<String> routeSet(List<String> routes) {
        return routes.isEmpty() ? List.of() : one(routeSets, routes);
    }

    private static <T> T one(Map<T, T> known, T value) {
        T same = known.get(value);
        if (same != null) {
            return same;
        }
        if (known.size() >= MAX) {
            known.clear();
        }
        T raced = known.putIfAbsent(value, value);
        return raced != null ? raced : value;
    }
}
