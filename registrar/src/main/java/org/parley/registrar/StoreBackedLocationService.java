package org.parley.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.parley.sip.message.HeaderValues;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.sip.message.SipUri;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.store.BindingRepository;
import org.parley.store.StoredBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bindings in memory for lookups on the request path, copied to the store so they survive a
 * restart; loaded once at start.
 *
 * <p>Two ways to copy them. Write-through (no interval): every change is in the store before the
 * method returns. Write-behind (an interval): a change marks the binding, and every interval one
 * transaction writes the marked bindings as memory has them then, so that a device refreshing its
 * registration costs no database round trip and a hundred refreshes of one binding cost one
 * write. {@link #close} writes what is left (a clean stop loses nothing); a crash loses the
 * changes of the last interval at most, which the devices repair with their next REGISTER.
 *
 * <p>With write-behind, a refresh that moves only the expiry, Call-ID and CSeq of a binding (same
 * contact, flow, q, Path, User-Agent...) is not written at all while the expiry in the store lags the
 * new one by at most a share of the interval granted ({@code refreshLagPercent}): a device that
 * re-REGISTERs every few seconds to keep its NAT binding open costs a write per tenth of its
 * interval, not one per second. A clean stop writes every lagging expiry too, so a restart loses
 * nothing; after a crash a refreshed binding expires at most that share of its interval early,
 * which a device refreshing with at least that share left never notices, and the store may hold
 * an older Call-ID and CSeq (a replay of a REGISTER older than those is then taken as new).
 */
public final class StoreBackedLocationService implements LocationService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBackedLocationService.class);
    private static final Comparator<Binding> BY_Q = Comparator.comparingDouble((Binding b) -> -b.q())
            .thenComparing(Binding::registeredAt, Comparator.reverseOrder());

    /** A binding's place in {@link #byAor}. */
    private record BindingId(String aor, String key) {
    }

    private final BindingRepository repository;
    private final Map<String, Map<String, Binding>> byAor = new ConcurrentHashMap<>();
    /**
     * Contact URI (without headers) to the bindings registered with it, so that a request sent to
     * a contact (ACK, in-dialog) is routed without a scan of every binding. Usually one id; more
     * when a device registered one contact under several AORs or over several flows.
     */
    private final Map<String, Set<BindingId>> byContact = new ConcurrentHashMap<>();
    /** Write-behind: bindings changed since the last write (their state is read from memory when written). */
    private final Set<BindingId> unwritten = ConcurrentHashMap.newKeySet();
    /** Write-behind: the expiry each binding has in the store, as loaded or last written. */
    private final Map<BindingId, Instant> storedExpiry = new ConcurrentHashMap<>();
    private final boolean writeBehind;
    private final int refreshLagPercent;
    private final Cancellable writer;

    /** Write-through: every change is in the store when the call returns. */
    public StoreBackedLocationService(BindingRepository repository) {
        this.repository = repository;
        this.writeBehind = false;
        this.refreshLagPercent = 0;
        this.writer = null;
        load();
    }

    /**
     * Write-behind every {@code interval} on the scheduler's workers, every refresh written; an
     * interval of zero is write-through. {@link #close} writes the rest.
     */
    public StoreBackedLocationService(BindingRepository repository, Scheduler scheduler, Duration interval) {
        this(repository, scheduler, interval, 0);
    }

    /**
     * Write-behind every {@code interval}, a refresh written only once the stored expiry lags the
     * new one by more than {@code refreshLagPercent} of the interval granted; an interval of zero is
     * write-through (every change written at once). {@link #close} writes the rest.
     */
    public StoreBackedLocationService(BindingRepository repository, Scheduler scheduler, Duration interval,
                                      int refreshLagPercent) {
        if (refreshLagPercent < 0 || refreshLagPercent > 100) {
            throw new IllegalArgumentException("refreshLagPercent must be 0 to 100");
        }
        this.repository = repository;
        this.writeBehind = !interval.isZero();
        this.refreshLagPercent = refreshLagPercent;
        load();
        this.writer = writeBehind ? scheduler.every(interval, this::flush) : null;
    }

    private void load() {
        for (StoredBinding s : repository.all()) {
            Binding b = fromStored(s);
            byAor.computeIfAbsent(b.aor(), k -> new ConcurrentHashMap<>()).put(b.key(), b);
            index(b);
            if (writeBehind) {
                storedExpiry.put(new BindingId(b.aor(), b.key()), b.expiresAt());
            }
        }
    }

    @Override
    public List<Binding> lookup(String aor, Instant now) {
        Map<String, Binding> m = byAor.get(aor);
        if (m == null) {
            return List.of();
        }
        // sized for what is there and sorted only when there is an order to find: most AORs have one device,
        // and every REGISTER looks its AOR up twice
        List<Binding> out = new ArrayList<>(m.size());
        for (Binding b : m.values()) {
            if (!b.expired(now)) {
                out.add(b);
            }
        }
        if (out.size() > 1) {
            out.sort(BY_Q);
        }
        return out;
    }

    @Override
    public Optional<Binding> byContact(SipUri contact, Instant now) {
        Set<BindingId> ids = byContact.getOrDefault(contactKey(contact), Set.of());
        return ids.stream()
                .map(id -> byAor.getOrDefault(id.aor(), Map.of()).get(id.key()))
                .filter(b -> b != null && !b.expired(now))
                .min(Comparator.comparing(Binding::aor).thenComparing(BY_Q));
    }

    @Override
    public void put(Binding binding) {
        String key = binding.key();
        Map<String, Binding> m = byAor.computeIfAbsent(binding.aor(), k -> new ConcurrentHashMap<>());
        Binding old = m.put(key, binding);
        boolean sameContact = old != null && sameContact(old, binding);
        // a refresh (same key, same contact) leaves the contact index as it is: nothing to copy
        if (!sameContact) {
            if (old != null) {
                unindex(old); // RFC 5626 §6: the same instance and reg-id may come back with another contact
            }
            index(binding);
        }
        if (writeBehind) {
            BindingId id = new BindingId(binding.aor(), key);
            if (!(sameContact && refreshTheStoreMayLag(old, binding, id))) {
                unwritten.add(id);
            }
        } else {
            repository.upsert(toStored(binding));
        }
    }

    /**
     * Whether {@code old}, found under {@code next}'s key, has its contact. Two bindings without an
     * instance are keyed by their contact's text, so found under one key they have the same text:
     * the usual refresh costs no comparison. Otherwise compared once: URI equality (§19.1.4) compares
     * parameters, which costs copies of them.
     */
    private static boolean sameContact(Binding old, Binding next) {
        return old.instanceId() == null && next.instanceId() == null || old.contact().equals(next.contact());
    }

    /**
     * Whether {@code next}, with the contact of {@code old}, only refreshes it (the same device on the
     * same flow, with a new expiry, Call-ID and CSeq) and the store's expiry lags the new one by no more than
     * {@link #refreshLagPercent} of the interval granted. A shorter expiry than the stored one is a
     * change the device asked for and always written.
     */
    private boolean refreshTheStoreMayLag(Binding old, Binding next, BindingId id) {
        if (refreshLagPercent == 0 || !sameDeviceBesidesContact(old, next)) {
            return false;
        }
        Instant stored = storedExpiry.get(id);
        if (stored == null || stored.isAfter(next.expiresAt())) {
            return false;
        }
        long expires = next.expiresAt().toEpochMilli();
        long lag = expires - stored.toEpochMilli();
        long granted = expires - next.registeredAt().toEpochMilli();
        return lag * 100 <= granted * refreshLagPercent;
    }

    /**
     * Everything the store keeps about a binding but its contact (the caller compared it), expiry,
     * Call-ID, CSeq and registration time.
     */
    private static boolean sameDeviceBesidesContact(Binding a, Binding b) {
        return Objects.equals(a.instanceId(), b.instanceId()) && a.regId() == b.regId()
                && a.q() == b.q() && a.path().equals(b.path()) && a.flow().equals(b.flow())
                && Objects.equals(a.userAgent(), b.userAgent()) && Objects.equals(a.accessNetworkInfo(), b.accessNetworkInfo());
    }

    @Override
    public void remove(String aor, String key) {
        Map<String, Binding> m = byAor.get(aor);
        Binding b = m == null ? null : m.remove(key);
        if (b != null) {
            unindex(b);
            if (writeBehind) {
                unwritten.add(new BindingId(aor, key));
            } else {
                repository.delete(aor, key);
            }
        }
    }

    @Override
    public void removeAll(String aor) {
        Map<String, Binding> gone = byAor.remove(aor);
        if (gone != null) {
            gone.values().forEach(this::unindex);
            gone.values().forEach(g -> storedExpiry.remove(new BindingId(g.aor(), g.key())));
            if (writeBehind) {
                // a write under way may have read them before: marked, the next one deletes them again
                gone.values().forEach(g -> unwritten.add(new BindingId(g.aor(), g.key())));
            }
        }
        // also with write-behind: rare (an account deleted), and nothing may survive it in the store
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

    /** Counted in place: a /metrics scrape copies and sorts nothing. */
    @Override
    public Census census(Instant now) {
        int bindings = 0;
        int aors = 0;
        for (Map<String, Binding> m : byAor.values()) {
            int live = 0;
            for (Binding b : m.values()) {
                if (!b.expired(now)) {
                    live++;
                }
            }
            bindings += live;
            aors += live > 0 ? 1 : 0;
        }
        return new Census(bindings, aors);
    }

    @Override
    public int expire(Instant now) {
        int n = 0;
        for (Map<String, Binding> m : byAor.values()) {
            for (Iterator<Binding> it = m.values().iterator(); it.hasNext(); ) {
                Binding b = it.next();
                if (b.expired(now)) {
                    it.remove();
                    unindex(b);
                    storedExpiry.remove(new BindingId(b.aor(), b.key()));
                    n++;
                }
            }
        }
        byAor.values().removeIf(Map::isEmpty);
        repository.deleteExpired(now);
        return n;
    }

    /**
     * Write-behind: writes every binding changed since the last call, as memory has it now (or its
     * removal), in one transaction. When the store fails, the bindings stay marked for the next call.
     */
    public synchronized void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        List<BindingId> ids = new ArrayList<>();
        List<StoredBinding> upserts = new ArrayList<>();
        List<BindingRepository.BindingKey> deletes = new ArrayList<>();
        for (Iterator<BindingId> it = unwritten.iterator(); it.hasNext(); ) {
            BindingId id = it.next();
            // unmarked before memory is read: a change after this read marks it again for next time
            it.remove();
            ids.add(id);
            Binding now = byAor.getOrDefault(id.aor(), Map.of()).get(id.key());
            if (now != null) {
                upserts.add(toStored(now));
            } else {
                deletes.add(new BindingRepository.BindingKey(id.aor(), id.key()));
            }
        }
        try {
            repository.writeAll(upserts, deletes);
        } catch (RuntimeException e) {
            unwritten.addAll(ids);
            LOG.warn("writing {} changed bindings to the store failed; trying again later: {}", ids.size(), e.toString());
            return;
        }
        for (StoredBinding s : upserts) {
            storedExpiry.put(new BindingId(s.aor(), s.bindingKey()), s.expiresAt());
        }
        for (BindingRepository.BindingKey k : deletes) {
            storedExpiry.remove(new BindingId(k.aor(), k.bindingKey()));
        }
    }

    /**
     * Stops the write-behind and writes what is left, the refreshes the store was let lag behind
     * included, so that a clean stop loses no registration and no expiry.
     */
    @Override
    public void close() {
        if (writer != null) {
            writer.cancel();
        }
        if (writeBehind) {
            for (Map<String, Binding> m : byAor.values()) {
                for (Binding b : m.values()) {
                    BindingId id = new BindingId(b.aor(), b.key());
                    if (!b.expiresAt().equals(storedExpiry.get(id))) {
                        unwritten.add(id);
                    }
                }
            }
        }
        flush();
    }

    private void index(Binding b) {
        BindingId id = new BindingId(b.aor(), b.key());
        byContact.compute(contactKey(b.contact()), (k, ids) -> {
            Set<BindingId> next = ids == null ? new HashSet<>() : new HashSet<>(ids);
            next.add(id);
            return Set.copyOf(next);
        });
    }

    private void unindex(Binding b) {
        BindingId id = new BindingId(b.aor(), b.key());
        // a binding replaced under the same key is indexed again by its successor: keep the id if
        // the successor has the same contact
        Binding now = byAor.getOrDefault(b.aor(), Map.of()).get(b.key());
        if (now != null && contactKey(now.contact()).equals(contactKey(b.contact()))) {
            return;
        }
        byContact.computeIfPresent(contactKey(b.contact()), (k, ids) -> {
            Set<BindingId> next = new HashSet<>(ids);
            next.remove(id);
            return next.isEmpty() ? null : Set.copyOf(next);
        });
    }

    private static String contactKey(SipUri contact) {
        return contact.withoutHeaders().toString();
    }

    private static StoredBinding toStored(Binding b) {
        Flow f = b.flow();
        // a binding without an instance is keyed by its contact's text: not made a second time
        String contact = b.instanceId() == null ? b.key() : b.contact().toString();
        return new StoredBinding(b.aor(), b.key(), contact, b.instanceId(), b.regId(), b.q(), b.expiresAt(),
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
