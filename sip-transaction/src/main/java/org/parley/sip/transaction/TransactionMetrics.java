package org.parley.sip.transaction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;

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

    private final MeterRegistry registry;

    TransactionMetrics(MeterRegistry registry, Map<?, ?> servers, Map<?, ?> clients) {
        this.registry = registry;
        String what = "SIP transactions in progress (RFC 3261 §17)";
        Gauge.builder(ACTIVE, servers, Map::size).description(what).tag("side", "server").register(registry);
        Gauge.builder(ACTIVE, clients, Map::size).description(what).tag("side", "client").register(registry);
    }

    void started(String side, String method) {
        registry.counter(STARTED, "side", side, "method", KNOWN_METHODS.contains(method) ? method : "other").increment();
    }

    void timedOut(String side, String timer) {
        registry.counter(TIMEOUTS, "side", side, "timer", timer).increment();
    }
}
