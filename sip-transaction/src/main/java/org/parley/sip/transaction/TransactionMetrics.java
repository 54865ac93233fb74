package org.parley.sip.transaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Transaction metrics, named the Micrometer way so that Prometheus shows
 * {@code parley_sip_transactions_total}, {@code parley_sip_transactions_active},
 * {@code parley_sip_transaction_timeouts_total}, {@code parley_sip_transactions_completed_dropped_total}
 * and {@code parley_sip_transactions_completed_bytes}.
 */
final class TransactionMetrics {
    static final String STARTED = "parley.sip.transactions";
    static final String ACTIVE = "parley.sip.transactions.active";
    static final String TIMEOUTS = "parley.sip.transaction.timeouts";
    static final String DROPPED = "parley.sip.transactions.completed.dropped";
    static final String COMPLETED_BYTES = "parley.sip.transactions.completed.bytes";

    /** Methods reported by name; any other is "other", so a peer cannot inflate the tag space. */
    private static final Set<String> KNOWN_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
            "INFO", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER");

    private final MeterRegistry registry;
    /**
     * The started-counters by side, then by method, found once: registering looks the meter up by
     * its sorted tags on every call, a share of each transaction's cost (issue 13 §3); sides and
     * methods are bounded, and looking up by the method itself builds no key.
     */
    private final Map<String, ConcurrentMap<String, Counter>> started =
            Map.of("server", new ConcurrentHashMap<>(), "client", new ConcurrentHashMap<>());

    TransactionMetrics(MeterRegistry registry, IntSupplier servers, IntSupplier clients, LongSupplier completedBytes) {
        this.registry = registry;
        String what = "SIP transactions in progress (RFC 3261 §17)";
        // held strongly: a gauge keeps its object weakly, and these suppliers are referenced nowhere else
        Gauge.builder(ACTIVE, servers, IntSupplier::getAsInt).strongReference(true).description(what).tag("side", "server")
                .register(registry);
        Gauge.builder(ACTIVE, clients, IntSupplier::getAsInt).strongReference(true).description(what).tag("side", "client")
                .register(registry);
        Gauge.builder(COMPLETED_BYTES, completedBytes, LongSupplier::getAsLong).strongReference(true).baseUnit("bytes")
                .description("Direct memory holding what Timers J and K keep of completed transactions (RFC 3261 §17)")
                .register(registry);
    }

    void started(String side, String method) {
        ConcurrentMap<String, Counter> bySide = started.get(side);
        Counter c = bySide.get(method); // get first: computeIfAbsent may lock the key's bin
        (c != null ? c : bySide.computeIfAbsent(KNOWN_METHODS.contains(method) ? method : "other",
                m -> registry.counter(STARTED, "side", side, "method", m))).increment();
    }

    void timedOut(String side, String timer) {
        registry.counter(TIMEOUTS, "side", side, "timer", timer).increment();
    }

    /**
     * Completed transactions Timer J or K ({@code timer}) let go of before their time, their log
     * at its cap (sip.transaction.completed-max-mb): a retransmission of one is then a new request.
     */
    void droppedEarly(String timer, long n) {
        registry.counter(DROPPED, "timer", timer).increment(n);
    }
}
