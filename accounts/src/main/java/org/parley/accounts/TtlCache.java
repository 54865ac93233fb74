package org.parley.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small read-through cache whose entries live for a fixed time. Used on the SIP request path,
 * where every MESSAGE would otherwise read the same account and settings rows several times.
 */
public final class TtlCache<K, V> {
    private record Entry<V>(V value, Instant expires) {
    }

    private static final int MAX_ENTRIES = 100_000;

    private final Duration ttl;
    private final Clock clock;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public TtlCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    public V get(K key, Function<K, V> load) {
        Instant now = clock.instant();
        Entry<V> e = entries.get(key);
        if (e != null && e.expires().isAfter(now)) {
            return e.value();
        }
        V value = load.apply(key);
        if (entries.size() >= MAX_ENTRIES) {
            // a crude bound: dropping everything is rare and only costs reloads
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
        return value;
    }

    public void clear() {
        entries.clear();
    }
}
