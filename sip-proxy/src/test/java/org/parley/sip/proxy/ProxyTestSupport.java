package org.parley.sip.proxy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transaction.TransactionUser;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;

/**
 * A real transaction layer (RFC 3261 §17) on a manual clock over a transport that only records, so that proxy
 * logic can be driven through genuine server and client transactions without sockets.
 */
final class ProxyTestSupport {
    static final InetSocketAddress ADVERTISED = new InetSocketAddress("192.0.2.1", 5060);
    static final Flow CALLER = new Flow(Transport.UDP, ADVERTISED, new InetSocketAddress("198.51.100.7", 5060), null);

    /** Records every message the layer sends; never fails. */
    static final class RecordingTransport implements SipTransport {
        final List<SipMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
            sent.add(message);
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
            sent.add(message);
            return CompletableFuture.completedFuture(new Flow(transport, ADVERTISED, destination, null));
        }

        @Override
        public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
            sent.add(response);
            return CompletableFuture.completedFuture(requestFlow);
        }

        @Override
        public boolean isOpen(Flow flow) {
            return true;
        }

        @Override
        public InetSocketAddress advertised(Transport transport) {
            return ADVERTISED;
        }

        List<SipResponse> responses() {
            return sent.stream().filter(SipResponse.class::isInstance).map(SipResponse.class::cast).toList();
        }

        /** Final (and 18x) responses sent upstream; the layer's own 100 Trying is left out. */
        List<Integer> upstreamStatuses() {
            return responses().stream().map(SipResponse::status).filter(s -> s > 100).toList();
        }

        List<SipRequest> requests(String method) {
            return sent.stream().filter(m -> m instanceof SipRequest r && r.isMethod(method)).map(SipRequest.class::cast).toList();
        }
    }

    /** A TU that only keeps the server transactions it is given. */
    static final class CapturingUser implements TransactionUser {
        final List<ServerTransaction> requests = new CopyOnWriteArrayList<>();

        @Override
        public void onRequest(ServerTransaction tx) {
            requests.add(tx);
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

    final ManualScheduler scheduler = new ManualScheduler();
    final RecordingTransport transport = new RecordingTransport();
    final CapturingUser user = new CapturingUser();
    final TransactionLayer layer = new TransactionLayer(transport, scheduler, TimerSettings.DEFAULT, Runnable::run,
            new SimpleMeterRegistry());

    ProxyTestSupport() {
        layer.setUser(user);
    }

    /** Delivers a request from the caller and returns the server transaction the layer made for it. */
    ServerTransaction receive(SipRequest request) {
        layer.onMessage(request, CALLER);
        return user.requests.get(user.requests.size() - 1);
    }

    static SipMessage parse(String text) {
        return SipParser.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A request from the caller; {@code extra} are whole header lines. */
    static SipRequest request(String method, String requestUri, String... extra) {
        StringBuilder sb = new StringBuilder(method + " " + requestUri + " SIP/2.0\n")
                .append("Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-").append(method.toLowerCase()).append("-1\n")
                .append("Max-Forwards: 70\n")
                .append("From: <sip:alice@example.com>;tag=a1\n")
                .append("To: <sip:bob@example.com>\n")
                .append("Call-ID: call-1@198.51.100.7\n")
                .append("CSeq: 1 ").append(method).append("\n");
        for (String line : extra) {
            sb.append(line).append("\n");
        }
        sb.append("Content-Length: 0\n\n");
        return (SipRequest) parse(sb.toString());
    }
}
