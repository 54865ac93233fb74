package org.parley.sip.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/** The transport's meters: open connections, messages in and out, malformed messages refused. */
final class TransportMetrics {
    /**
     * The kinds a message is counted by: methods by name — any other is "other", since the method
     * is chosen by whoever sends and a tag per invented method would let them grow the registry
     * without bound — and responses by status class.
     */
    private static final String[] KINDS = {"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "SUBSCRIBE",
            "NOTIFY", "PUBLISH", "MESSAGE", "INFO", "PRACK", "UPDATE", "REFER", "other",
            "0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};
    private static final int OTHER = 14;
    private static final int STATUS_CLASS = 15;
    /** The methods counted by name, each at its index in {@link #KINDS}. */
    private static final Map<String, Integer> METHOD_KINDS = methodKinds();
    private static final String RECEIVED = "parley_sip_messages_received_total";
    private static final String SENT = "parley_sip_messages_sent_total";
    private static final String DROPPED = "parley_sip_datagrams_dropped_total";

    private final MeterRegistry registry;
    private final Map<Transport, AtomicInteger> connections = new EnumMap<>(Transport.class);
    /**
     * The counters of messages in and out by transport and kind, and of datagrams dropped, each
     * registered once when first needed: registering looks the meter up by its sorted tags, which
     * cost as much as the rest of receiving a datagram (issue 13 §3), and a map keyed by name,
     * transport and kind still cost a key object and a look-up per message. Racing threads may both
     * register a counter; the registry gives both the same one.
     */
    private final Counter[][] received = new Counter[Transport.values().length][KINDS.length];
    private final Counter[][] sent = new Counter[Transport.values().length][KINDS.length];
    private final Counter[] dropped = new Counter[Transport.values().length];

    TransportMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Transport t : Transport.values()) {
            AtomicInteger open = new AtomicInteger();
            connections.put(t, open);
            if (t.reliable()) {
                Gauge.builder("parley_sip_connections", open, AtomicInteger::get)
                        .description("Open SIP connections")
                        .tag("transport", tag(t))
                        .register(registry);
            }
        }
    }

    void connectionOpened(Transport t) {
        connections.get(t).incrementAndGet();
    }

    void connectionClosed(Transport t) {
        connections.get(t).decrementAndGet();
    }

    void received(Transport t, SipMessage m) {
        counter(received, RECEIVED, t, kind(m)).increment();
    }

    void sent(Transport t, SipMessage m) {
        counter(sent, SENT, t, kind(m)).increment();
    }

    /** A response sent again from its wire form ("SIP/2.0 NNN ..."), counted by its status class as when it was first sent. */
    void resent(Transport t, byte[] wire) {
        int statusClass = wire.length > 8 ? wire[8] - '0' : 0;
        counter(sent, SENT, t, statusClass >= 1 && statusClass <= 6 ? STATUS_CLASS + statusClass : OTHER).increment();
    }

    void refused(Transport t, ConnectionGate.Refusal why) {
        Counter.builder("parley_sip_connections_refused_total").description("Connections closed at once by the limits")
                .tag("transport", tag(t)).tag("limit", why.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    /** A datagram dropped because too many were in hand (see {@link DatagramReceiver}). */
    void dropped(Transport t) {
        Counter c = dropped[t.ordinal()];
        if (c == null) {
            c = Counter.builder(DROPPED).description("Datagrams dropped while too many were in hand")
                    .tag("transport", tag(t)).register(registry);
            dropped[t.ordinal()] = c;
        }
        c.increment();
    }

    void malformed(Transport t) {
        Counter.builder("parley_sip_malformed_total").tag("transport", tag(t)).register(registry).increment();
    }

    private Counter counter(Counter[][] counters, String name, Transport t, int kind) {
        Counter c = counters[t.ordinal()][kind];
        if (c == null) {
            c = Counter.builder(name).tag("transport", tag(t)).tag("kind", KINDS[kind]).register(registry);
            counters[t.ordinal()][kind] = c;
        }
        return c;
    }

    /** The index in {@link #KINDS} a message is counted under. */
    private static int kind(SipMessage m) {
        return switch (m) {
            case SipRequest r -> METHOD_KINDS.getOrDefault(r.method(), OTHER);
            case SipResponse r -> STATUS_CLASS + r.statusClass();
        };
    }

    private static Map<String, Integer> methodKinds() {
        Map<String, Integer> kinds = new HashMap<>();
        for (int i = 0; i < OTHER; i++) {
            kinds.put(KINDS[i], i);
        }
        return Map.copyOf(kinds);
    }

    private static String tag(Transport t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
