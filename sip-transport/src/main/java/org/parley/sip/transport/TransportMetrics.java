package org.parley.sip.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/** The transport's meters: open connections, messages in and out, malformed messages refused. */
final class TransportMetrics {
    /**
     * Methods get their own tag value; any other is "other", since the method is chosen by
     * whoever sends and a tag per invented method would let them grow the registry without bound.
     */
    private static final Set<String> KNOWN_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
            "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "INFO", "PRACK", "UPDATE", "REFER");

    private record Key(String name, Transport transport, String kind) {
    }

    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};

    private final MeterRegistry registry;
    private final Map<Transport, AtomicInteger> connections = new EnumMap<>(Transport.class);
    /**
     * The counters of messages in and out, found once: registering looks the meter up by its
     * sorted tags, which cost as much as the rest of receiving a datagram (issue 13 §3). The
     * kinds are bounded (methods known by name, status classes), so this map is too.
     */
    private final ConcurrentMap<Key, Counter> counters = new ConcurrentHashMap<>();

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
        count("parley_sip_messages_received_total", t, m);
    }

    void sent(Transport t, SipMessage m) {
        count("parley_sip_messages_sent_total", t, m);
    }

    /** A response sent again from its wire form ("SIP/2.0 NNN ..."), counted by its status class as when it was first sent. */
    void resent(Transport t, byte[] wire) {
        int statusClass = wire.length > 8 ? wire[8] - '0' : 0;
        String kind = statusClass >= 1 && statusClass <= 6 ? STATUS_CLASSES[statusClass] : "other";
        counter(new Key("parley_sip_messages_sent_total", t, kind)).increment();
    }

    void refused(Transport t, ConnectionGate.Refusal why) {
        Counter.builder("parley_sip_connections_refused_total").description("Connections closed at once by the limits")
                .tag("transport", tag(t)).tag("limit", why.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    /** A datagram dropped because too many were in hand (see {@link DatagramReceiver}). */
    void dropped(Transport t) {
        counter(new Key("parley_sip_datagrams_dropped_total", t, "")).increment();
    }

    void malformed(Transport t) {
        Counter.builder("parley_sip_malformed_total").tag("transport", tag(t)).register(registry).increment();
    }

    private void count(String name, Transport t, SipMessage m) {
        counter(new Key(name, t, kind(m))).increment();
    }

    /**
     * Looked up with get first: computeIfAbsent locks the key's bin whenever the key is not the
     * bin's first entry, and every datagram's worker came here (the ramp profile showed threads
     * blocked on it).
     */
    private Counter counter(Key key) {
        Counter c = counters.get(key);
        return c != null ? c : counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(k.name()).tag("transport", tag(k.transport()));
            return (k.kind().isEmpty() ? b.description("Datagrams dropped while too many were in hand")
                    : b.tag("kind", k.kind())).register(registry);
        });
    }

    private static String kind(SipMessage m) {
        return switch (m) {
            case SipRequest r -> KNOWN_METHODS.contains(r.method()) ? r.method() : "other";
            case SipResponse r -> STATUS_CLASSES[r.statusClass()];
        };
    }

    private static String tag(Transport t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
