package org.parley.presence;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What of the presentity's state a watcher may see (RFC 5025 §3.2.2-3.2.4), simplified: services
 * (tuples), persons and devices are all or nothing; attributes are all, or those named by
 * their provide-* permission (provide-activities, provide-note, provide-mood...). Permissions
 * of several matching rules add up (RFC 4745 §10.3: the union).
 *
 * @param attributes the local names of granted provide-* permissions, e.g. "provide-note"
 */
record Transformations(boolean services, boolean persons, boolean devices, boolean allAttributes,
                       Set<String> attributes) {
    static final Transformations NOTHING = new Transformations(false, false, false, false, Set.of());
    static final Transformations EVERYTHING = new Transformations(true, true, true, true, Set.of());

    /** More distinct ones than this are not shared (documents are schema-checked, so few exist). */
    private static final int MAX_SHARED = 10_000;
    private static final Map<Transformations, Transformations> SHARED = new ConcurrentHashMap<>();

    Transformations {
        attributes = Set.copyOf(attributes);
    }

    /**
     * The one instance equal to {@code t}: most presentities' rules grant the same few sets, and a
     * compiled rule, a cut of a presentity's state and every watcher's view refer to it.
     */
    static Transformations shared(Transformations t) {
        Transformations known = SHARED.get(t);
        if (known != null) {
            return known;
        }
        return SHARED.size() < MAX_SHARED ? SHARED.computeIfAbsent(t, x -> x) : t;
    }

    /**
     * These and {@code o}'s permissions together. Granting nothing, either side leaves the other
     * as it is — the usual case of one matching rule, which then keeps its shared instance
     * instead of a new one (and the hash and comparisons of a new one) per SUBSCRIBE.
     */
    Transformations union(Transformations o) {
        if (o == NOTHING || this == o) {
            return this;
        }
        if (this == NOTHING) {
            return o;
        }
        Set<String> all = new HashSet<>(attributes);
        all.addAll(o.attributes);
        return new Transformations(services || o.services, persons || o.persons, devices || o.devices,
                allAttributes || o.allAttributes, all);
    }

    /** Services, persons, devices and every attribute: a cut that leaves the composed state whole. */
    boolean grantsEverything() {
        return services && persons && devices && allAttributes;
    }

    boolean grants(String permission) {
        return allAttributes || attributes.contains(permission);
    }
}
