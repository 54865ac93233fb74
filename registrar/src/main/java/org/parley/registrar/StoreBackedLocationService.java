package org.parley.registrar;

import java.time.Instant;
import java.util.ArrayList;
import org.parley.sip.message.HeaderValues;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.sip.message.SipUri;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.store.BindingRepository;
import org.parley.store.StoredBinding;

/**
 * Bindings in memory for lookups on the request path, written through to the store so they
 * survive a restart. Loaded once at start.
 */
public final class StoreBackedLocationService implements LocationService {
    private static final Comparator<Binding> BY_Q = Comparator.comparingDouble((Binding b) -> -b.q())
            .thenComparing(Binding::registeredAt, Comparator.reverseOrder());

    private final BindingRepository repository;
    private final Map<String, Map<String, Binding>> byAor = new ConcurrentHashMap<>();

    public StoreBackedLocationService(BindingRepository repository) {
        this.repository = repository;
        for (StoredBinding s : repository.all()) {
            Binding b = fromStored(s);
            byAor.computeIfAbsent(b.aor(), k -> new ConcurrentHashMap<>()).put(b.key(), b);
        }
    }

    @Override
    public List<Binding> lookup(String aor, Instant now) {
        Map<String, Binding> m = byAor.get(aor);
        if (m == null) {
            return List.of();
        }
        List<Binding> out = new ArrayList<>();
        for (Binding b : m.values()) {
            if (!b.expired(now)) {
                out.add(b);
            }
        }
        out.sort(BY_Q);
        return out;
    }

    @Override
    public void put(Binding binding) {
        Map<String, Binding> m = byAor.computeIfAbsent(binding.aor(), k -> new ConcurrentHashMap<>());
        m.put(binding.key(), binding);
        repository.upsert(toStored(binding));
    }

    @Override
    public void remove(String aor, String key) {
        Map<String, Binding> m = byAor.get(aor);
        Binding b = m == null ? null : m.remove(key);
        if (b != null) {
            repository.delete(aor, key);
        }
    }

    @Override
    public void removeAll(String aor) {
        byAor.remove(aor);
        repository.deleteAll(aor);
    }

    @Override
    public List<Binding> all(Instant now) {
        List<Binding> out = new ArrayList<>();
        for (Map<String, Binding> m : byAor.values()) {
            for (Binding b : m.values()) {
                if (!b.expired(now)) {
                    out.add(b);
                }
            }
        }
        out.sort(Comparator.comparing(Binding::aor).thenComparing(BY_Q));
        return out;
    }

    @Override
    public int expire(Instant now) {
        int n = 0;
        for (Map<String, Binding> m : byAor.values()) {
            for (Iterator<Binding> it = m.values().iterator(); it.hasNext(); ) {
                if (it.next().expired(now)) {
                    it.remove();
                    n++;
                }
            }
        }
        byAor.values().removeIf(Map::isEmpty);
        repository.deleteExpired(now);
        return n;
    }

    private static StoredBinding toStored(Binding b) {
        Flow f = b.flow();
        return new StoredBinding(b.aor(), b.key(), b.contact().toString(), b.instanceId(), b.regId(), b.q(), b.expiresAt(),
                b.callId(), b.cseq(), String.join(",", b.path()), f.transport().name(), Flow.format(f.local()),
                Flow.format(f.remote()), f.connectionId(), b.userAgent(), b.accessNetworkInfo(), b.registeredAt());
    }

    private static Binding fromStored(StoredBinding s) {
        Flow flow = new Flow(Transport.valueOf(s.transport()), Flow.parseAddress(s.localAddress()), Flow.parseAddress(s.remoteAddress()),
                s.connectionId());
        List<String> path = s.path() == null || s.path().isEmpty() ? List.of() : HeaderValues.splitCommas(s.path());
        return new Binding(s.aor(), SipUri.parse(s.contactUri()), s.instanceId(), s.regId(), s.q(), s.expiresAt(),
                s.callId(), s.cseq(), path, flow, s.userAgent(), s.accessNetworkInfo(), s.registeredAt());
    }
}
