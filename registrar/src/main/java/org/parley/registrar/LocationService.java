package org.parley.registrar;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.parley.sip.message.SipUri;

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

    /**
     * The live binding registered with exactly this contact (headers aside), for requests sent to
     * a contact rather than an AOR (ACK, in-dialog requests). When several match (one device
     * registered under two AORs, or on two flows), the first AOR in order, then the highest q.
     * On the request path: an index, never a scan of every binding.
     */
    Optional<Binding> byContact(SipUri contact, Instant now);

    /** Every live binding, for the admin API and metrics. */
    List<Binding> all(Instant now);

    /**
     * How many live bindings there are, and for how many AORs (the /metrics gauges); an
     * implementation holding them should count in place rather than copy them as this does.
     */
    default Census census(Instant now) {
        List<Binding> live = all(now);
        return new Census(live.size(), (int) live.stream().map(Binding::aor).distinct().count());
    }

    /** Live bindings (devices) and the addresses of record with at least one. */
    record Census(int bindings, int aors) {
    }

    /** Drops expired bindings; returns how many. */
    int expire(Instant now);
}
