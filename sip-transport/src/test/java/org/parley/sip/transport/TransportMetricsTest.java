package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;

@DisplayName("RFC 3261 §18: messages in and out counted by transport and kind (method, or status class)")
class TransportMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TransportMetrics metrics = new TransportMetrics(registry);

    private static SipMessage request(String method) {
        return SipParser.parse((method + " sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-" + method + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: m-1\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static SipMessage response(int status) {
        return SipParser.parse(("SIP/2.0 " + status + " Whatever\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-r\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b1\r\n"
                + "Call-ID: m-1\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private double count(String name, String transport, String kind) {
        var counter = registry.find(name).tag("transport", transport).tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @DisplayName("§7.1: each known method is its own kind, an invented one is \"other\" (the registry stays bounded)")
    void requestsByMethod() {
        for (String method : new String[] {"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "SUBSCRIBE",
                "NOTIFY", "PUBLISH", "MESSAGE", "INFO", "PRACK", "UPDATE", "REFER"}) {
            metrics.received(Transport.UDP, request(method));
            metrics.received(Transport.UDP, request(method));
            assertThat(count("parley_sip_messages_received_total", "udp", method)).as(method).isEqualTo(2);
        }
        metrics.received(Transport.TCP, request("FOO"));
        metrics.received(Transport.TCP, request("BAR"));
        assertThat(count("parley_sip_messages_received_total", "tcp", "other")).isEqualTo(2);
        assertThat(count("parley_sip_messages_received_total", "udp", "other")).isZero();
        assertThat(registry.find("parley_sip_messages_received_total").counters()).hasSize(15);
    }

    @Test
    @DisplayName("§7.2: responses count by status class, sent and resent from their octets alike; dropped datagrams by transport")
    void responsesByStatusClass() {
        metrics.sent(Transport.UDP, response(200));
        metrics.sent(Transport.UDP, response(202));
        metrics.sent(Transport.WS, response(486));
        metrics.resent(Transport.UDP, "SIP/2.0 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
        metrics.resent(Transport.UDP, "SIP/2.0 408 Request Timeout\r\n".getBytes(StandardCharsets.US_ASCII));
        metrics.resent(Transport.UDP, "SIP/2.0".getBytes(StandardCharsets.US_ASCII));
        assertThat(count("parley_sip_messages_sent_total", "udp", "2xx")).isEqualTo(3);
        assertThat(count("parley_sip_messages_sent_total", "udp", "4xx")).isEqualTo(1);
        assertThat(count("parley_sip_messages_sent_total", "udp", "other")).isEqualTo(1);
        assertThat(count("parley_sip_messages_sent_total", "ws", "4xx")).isEqualTo(1);
        metrics.dropped(Transport.UDP);
        metrics.dropped(Transport.UDP);
        assertThat(registry.get("parley_sip_datagrams_dropped_total").tag("transport", "udp").counter().count()).isEqualTo(2);
    }
}
