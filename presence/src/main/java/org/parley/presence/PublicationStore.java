package org.parley.presence;

import java.util.List;
import java.util.Optional;

/**
 * Where publications live. Narrow on purpose: in memory now, a shared store in cluster mode
 * behind the same interface (timers stay with the node that accepted the PUBLISH).
 */
interface PublicationStore {
    Optional<Publication> find(String aor, String etag);

    void put(Publication publication);

    boolean remove(String aor, String etag);

    /** Every publication of a presentity, expired ones included: the caller knows the time. */
    List<Publication> of(String aor);
}
