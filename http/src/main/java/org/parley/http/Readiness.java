package org.parley.http;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

/**
 * Named readiness checks behind {@code GET /health}. The assembly registers every check before it
 * starts serving, so the server reports DOWN until each part (database, http, sip...) says it is up.
 *
 * <p>Besides flags set by the parts, there are probes: checks asked at the time of the question
 * (each listener, by connecting to it), so that /health tells whether a listener works now, not
 * that it once started. Probe results are reused for {@link #PROBE_REUSE_NANOS}, so that callers
 * of /health cannot make the server probe itself without bound.
 */
public final class Readiness {
    static final long PROBE_REUSE_NANOS = 1_000_000_000L;

    private final Map<String, Boolean> checks = new ConcurrentSkipListMap<>();
    private final Map<String, BooleanSupplier> probes = new ConcurrentSkipListMap<>();
    private Map<String, Boolean> probed = Map.of();
    private long probedAt;

    /** Adds a check in the DOWN state unless it is already known. */
    public void register(String name) {
        checks.putIfAbsent(name, false);
    }

    public void up(String name) {
        checks.put(name, true);
    }

    public void down(String name) {
        checks.put(name, false);
    }

    /** Adds (or replaces) a check answered by asking {@code probe}; a probe that throws counts as down. */
    public synchronized void probe(String name, BooleanSupplier probe) {
        probes.put(name, probe);
        probedAt = 0;
    }

    /** Ready only when at least one check exists and all are up: an empty set means nothing started. */
    public boolean ready() {
        Map<String, Boolean> all = snapshot();
        return !all.isEmpty() && !all.containsValue(false);
    }

    /** A sorted copy, true meaning up. */
    public Map<String, Boolean> snapshot() {
        Map<String, Boolean> all = new TreeMap<>(checks);
        all.putAll(probeAll());
        return Collections.unmodifiableMap(all);
    }

    private synchronized Map<String, Boolean> probeAll() {
        long now = System.nanoTime();
        if (probedAt != 0 && now - probedAt < PROBE_REUSE_NANOS) {
            return probed;
        }
        Map<String, Boolean> out = new TreeMap<>();
        probes.forEach((name, probe) -> out.put(name, ask(probe)));
        probed = out;
        probedAt = now;
        return out;
    }

    private static boolean ask(BooleanSupplier probe) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
