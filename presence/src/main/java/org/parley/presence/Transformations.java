package org.parley.presence;

import java.util.HashSet;
import java.util.Set;

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

    Transformations {
        attributes = Set.copyOf(attributes);
    }

    Transformations union(Transformations o) {
        Set<String> all = new HashSet<>(attributes);
        all.addAll(o.attributes);
        return new Transformations(services || o.services, persons || o.persons, devices || o.devices,
                allAttributes || o.allAttributes, all);
    }

    boolean grants(String permission) {
        return allAttributes || attributes.contains(permission);
    }
}
