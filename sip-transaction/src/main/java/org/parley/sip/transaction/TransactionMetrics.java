package org.parley.sip.transaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntSupplier;

/**
 * Transaction metrics, named the Micrometer way so that Prometheus shows
 * {@code parley_sip_transactions_total}, {@code parley_sip_transactions_active} and
 * {@code parley_sip_transaction_timeouts_total}.
 */
final class TransactionMetrics {
    static final String STARTED = "parley.sip.transactions";
    static final String ACTIVE = "parley.sip.transactions.active";
    static final String TIMEOUTS = "parley.sip.transaction.timeouts";

    /** Methods reported by name; any other is "other", so a peer cannot inflate the tag space. */
    private static final Set<String> KNOWN_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
            "INFO", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER");

    private record Started(String side, String method) {
    }

    private final MeterRegistry registry;
    /**
     * The started-counters, found once: registering looks the meter up by its sorted tags on every
     * call, a share of each transaction's cost (issue 13 §3); sides and methods are bounded.
     */
    private final ConcurrentMap<Started, Counter> started = new ConcurrentHashMap<>();

    TransactionMetrics(MeterRegistry registry, IntSupplier servers, IntSupplier clients) {
        this.registry = registry;
        String what = "SIP transactions in progress (RFC 3261 §17)";
        // held strongly: a gauge keeps its object weakly, and these suppliers are referenced nowhere else
        Gauge.builder(ACTIVE, servers, IntSupplier::getAsInt).strongReference(true).description(what).tag("side", "server")
                .register(registry);
        Gauge.builder(ACTIVE, clients, IntSupplier::getAsInt).strongReference(true).description(what).tag("side", "client")
                .register(registry);
    }

    void started(String side, String method) {
        Started key = new Started(side, KNOWN_METHODS.contains(method) ? method : "other");
        Counter c = started.get(key); // get first: computeIfAbsent may lock the key's bin
        (c != null ? c : started.computeIfAbsent(key, k -> registry.counter(STARTED, "side", k.side(), "method",
                k.method()))).increment();
    }

    void timedOut(String side, String timer) {
        registry.counter(TIMEOUTS, "side", side, "timer", timer).increment();
    }
}
