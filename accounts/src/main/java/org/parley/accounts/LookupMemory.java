package org.parley.accounts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A read-through map for look-ups on the request path whose entries stay until they are forgotten
 * (the owner forgets on every change it learns of), so that a hit costs no database round trip.
 *
 * <p>A look-up racing a change never keeps what it read before the change: every forgetting moves
 * the generation first, and a value whose load began in an older generation is not kept (whether
 * the forgetting came before its put or after). Bounded: at {@code maxEntries} it starts afresh,
 * which is rare and only costs reloads.
 */
public final class LookupMemory<K, V> {
    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final LongAdder loads = new LongAdder();
    private final int maxEntries;

    public LookupMemory(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    public V get(K key, Function<K, V> load) {
        V known = entries.get(key);
        if (known != null) {
            return known;
        }
        long loadedIn = generation.get();
        loads.increment();
        V value = load.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, value);
        if (generation.get() != loadedIn) {
            entries.remove(key, value);
        }
        return value;
    }

    /** How many look-ups were not answered from memory. */
    public long loads() {
        return loads.sum();
    }

    public void forget(K key) {
        generation.incrementAndGet();
        entries.remove(key);
    }

    public void forgetAll() {
        generation.incrementAndGet();
        entries.clear();
    }
}
