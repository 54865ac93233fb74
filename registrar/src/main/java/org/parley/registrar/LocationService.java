package org.parley.registrar;

import java.time.Instant;
import java.util.List;

/**
 * Where the devices of an address of record can be reached. Narrow on purpose: cluster mode
 * will put this state in a shared engine behind the same interface.
 */
public interface LocationService {
    /** The live bindings of an AOR, highest q first. */
    List<Binding> lookup(String aor, Instant now);

    void put(Binding binding);

    void remove(String aor, String key);

    void removeAll(String aor);

    /** Every live binding, for the admin API and metrics. */
    List<Binding> all(Instant now);

    /** Drops expired bindings; returns how many. */
    int expire(Instant now);
}
