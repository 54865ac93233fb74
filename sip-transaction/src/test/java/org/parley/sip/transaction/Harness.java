package org.parley.sip.transaction;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/** (RFC 3261 §17) A transaction layer on a manual clock, a recording transport and TU, and a direct executor. */
final class Harness {
    static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.7", 5060);
    static final Flow UDP = new Flow(Transport.UDP, FakeTransport.ADVERTISED, PEER, null);
    static final Flow TCP = new Flow(Transport.TCP, FakeTransport.ADVERTISED, new InetSocketAddress("198.51.100.7", 40123), "c1");

    final ManualScheduler scheduler = new ManualScheduler();
    final FakeTransport transport = new FakeTransport(scheduler);
    final RecordingUser user = new RecordingUser();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TransactionLayer layer = new TransactionLayer(transport, scheduler, TimerSettings.DEFAULT, Runnable::run, registry);

    Harness() {
        layer.setUser(user);
    }

    void advance(double seconds) {
        scheduler.advance(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    void receive(SipMessage message, Flow flow) {
        layer.onMessage(message, flow);
    }

    /** Parses a message written with LF line ends, as a test reads best. */
    static SipMessage parse(String text) {
        return SipParser.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A request from the peer; {@code via} is the whole Via value, {@code toTag} may be null. */
    static SipRequest incoming(String method, String via, String toTag, long cseq) {
        return (SipRequest) parse(method + " sip:bob@example.com SIP/2.0\n"
                + "Via: " + via + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\n"
                + "To: <sip:bob@example.com>" + (toTag == null ? "" : ";tag=" + toTag) + "\n"
                + "Call-ID: call-1@198.51.100.7\n"
                + "CSeq: " + cseq + " " + method + "\n"
                + "Content-Length: 0\n\n");
    }

    static SipRequest incoming(String method, String branch) {
        return incoming(method, "SIP/2.0/UDP 198.51.100.7:5060;branch=" + branch, null, 1);
    }

    /** A request as the TU hands it to {@link TransactionLayer#sendRequest}: no Via yet. */
    static SipRequest outgoing(String method) {
        SipRequest parsed = (SipRequest) parse(method + " sip:carol@198.51.100.7 SIP/2.0\n"
                + "Via: SIP/2.0/UDP parser.invalid\n" // the parser insists on one; the TU's request has none
                + "Route: <sip:edge.example.net;lr>\n"
                + "Max-Forwards: 69\n"
                + "From: <sip:alice@example.com>;tag=f1\n"
                + "To: <sip:carol@example.com>\n"
                + "Call-ID: out-1@192.0.2.1\n"
                + "CSeq: 7 " + method + "\n"
                + "Content-Length: 0\n\n");
        return parsed.withHeaders(parsed.headers().remove(HeaderNames.VIA));
    }

    /** The response the peer sends to a request we sent. */
    static SipResponse answer(ClientTransaction tx, int status) {
        return tx.request().createResponse(status, "callee-tag");
    }

    double gauge(String side) {
        return registry.get(TransactionMetrics.ACTIVE).tag("side", side).gauge().value();
    }

    double timeouts(String timer) {
        var counter = registry.find(TransactionMetrics.TIMEOUTS).tag("timer", timer).counter();
        return counter == null ? 0 : counter.count();
    }

    boolean empty() {
        return layer.serverTransactions() == 0 && layer.clientTransactions() == 0;
    }
}
