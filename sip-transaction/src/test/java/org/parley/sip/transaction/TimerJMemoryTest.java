package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;

/**
 * What a completed non-INVITE server transaction over UDP keeps on the Java heap for Timer J's
 * 32 s (RFC 3261 §17.2.2): at 8,000 MESSAGE/s half a million of them wait at any time, and what
 * each held was copied by every young collection (issue 13). Its key, final response and flow now
 * sit off the heap ({@link CompletedLog}); what stays is its share of the index. Measured as the
 * heap that stays reachable after a collection, per transaction, with N of them completed.
 */
@DisplayName("RFC 3261 §17.2.2: a completed non-INVITE server transaction keeps its key and final response off the Java heap")
class TimerJMemoryTest {
    private static final int N = 10_000;

    /** Sends nothing anywhere and keeps nothing: the heap measured is the layer's alone. */
    static final class Sink implements SipTransport {
        int responses;
        final List<byte[]> repeated = new ArrayList<>();

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
            return CompletableFuture.completedFuture(new Flow(transport, FakeTransport.ADVERTISED, destination, null));
        }

        @Override
        public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
            responses++;
            return CompletableFuture.completedFuture(requestFlow);
        }

        @Override
        public CompletableFuture<Flow> resend(byte[] wire, Flow flow) {
            repeated.add(wire);
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public boolean isOpen(Flow flow) {
            return true;
        }

        @Override
        public InetSocketAddress advertised(Transport transport) {
            return FakeTransport.ADVERTISED;
        }
    }

    /** Answers every request 200 at once and forgets it, as the pager does once the device answered. */
    static final class Answering implements TransactionUser {
        @Override
        public void onRequest(ServerTransaction tx) {
            tx.respond(tx.request().createResponse(200, tx.localTag()));
        }

        @Override
        public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        }

        @Override
        public void onAck(SipRequest ack, Flow flow) {
        }

        @Override
        public void onStrayResponse(SipResponse response, Flow flow) {
        }

        @Override
        public void onServerTimeout(ServerTransaction tx) {
        }
    }

    /** The authenticated MESSAGE of the bench (bench/message-digest.xml) as SIPp sends it, branch {@code i}. */
    static SipRequest message(int i) {
        return (SipRequest) SipParser.parse(("MESSAGE sip:rcp00042@localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:24061;branch=z9hG4bK-52121-" + i + "-2;rport\r\n"
                + "From: <sip:snd00421@localhost>;tag=52121SIPpTag00" + i + "\r\n"
                + "To: <sip:rcp00042@localhost>\r\n"
                + "Call-ID: " + i + "-52121@127.0.0.1\r\n"
                + "CSeq: 2 MESSAGE\r\n"
                + "Proxy-Authorization: Digest username=\"snd00421\",realm=\"localhost\",cnonce=\"6b8b4567\",nc=00000001,"
                + "qop=auth,uri=\"sip:rcp00042@localhost\",nonce=\"AAABk4Zq2xW1c3B6mQ8o0v0rJgq3fC0l7l9bq4Hx5y6TQk3sJ0a8\","
                + "response=\"3f0a8b1c2d4e5f60718293a4b5c6d7e8\",algorithm=MD5\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: text/plain\r\n"
                + "User-Agent: SIPp parley-bench\r\n"
                + "Content-Length: 44\r\n"
                + "\r\n"
                + "Bench message 421 from snd00421 to rcp00042.").getBytes(StandardCharsets.US_ASCII));
    }

    private static long heapAfterCollection() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    @DisplayName("§17.2.2 + issue 13: under 64 B of heap per completed transaction; a retransmission still gets the same octets; all gone after Timer J")
    void completedTransactionsHoldOnlyTheirAnswer() {
        Sink transport = new Sink();
        ManualScheduler scheduler = new ManualScheduler();
        TransactionLayer layer = new TransactionLayer(transport, scheduler, TimerSettings.DEFAULT, Runnable::run,
                new SimpleMeterRegistry());
        layer.setUser(new Answering());
        Flow flow = new Flow(Transport.UDP, FakeTransport.ADVERTISED, new InetSocketAddress("127.0.0.1", 24061), null);
        SipRequest first = message(0);
        layer.onMessage(first, flow); // classes loaded, maps sized, before the measure

        long before = heapAfterCollection();
        for (int i = 1; i <= N; i++) {
            layer.onMessage(message(i), flow);
        }
        long after = heapAfterCollection();
        long perTransaction = (after - before) / N;
        System.out.printf("Timer J: %d completed non-INVITE server transactions retain %d B each%n", N, perTransaction);

        assertThat(transport.responses).isEqualTo(N + 1);
        assertThat(layer.serverTransactions()).isEqualTo(N + 1);
        assertThat(perTransaction).isLessThan(64);

        layer.onMessage(first, flow);
        assertThat(transport.repeated).hasSize(1);
        SipResponse repeated = (SipResponse) SipParser.parse(transport.repeated.get(0));
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.topVia().branch()).contains("z9hG4bK-52121-0-2");
        assertThat(repeated.to().tag()).isPresent();

        scheduler.advance(Duration.ofSeconds(32));
        assertThat(layer.serverTransactions()).isZero();
        layer.onMessage(first, flow);
        assertThat(transport.repeated).as("after Timer J a request is a new transaction, answered afresh").hasSize(1);
        assertThat(transport.responses).isEqualTo(N + 2);
    }
}
