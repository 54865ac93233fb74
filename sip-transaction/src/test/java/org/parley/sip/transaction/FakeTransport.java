package org.parley.sip.transaction;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;

/** (RFC 3261 §18 stand-in) Records what the layer sends, with the scheduler time of each send; can be told to fail. */
final class FakeTransport implements SipTransport {
    static final InetSocketAddress ADVERTISED = new InetSocketAddress("192.0.2.1", 5060);

    /** One send; {@code flow} is what the layer gave or, for address sends, what the fake made up. */
    record Sent(SipMessage message, Flow flow, Duration at) {
    }

    private final ManualScheduler scheduler;
    private final Instant start;
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    /** When set, sends complete only when the test completes these futures (a connection being opened, §18.1.1). */
    volatile boolean holding;
    final List<CompletableFuture<Flow>> held = new CopyOnWriteArrayList<>();

    FakeTransport(ManualScheduler scheduler) {
        this.scheduler = scheduler;
        this.start = scheduler.now();
    }

    @Override
    public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
        return record(message, flow);
    }

    @Override
    public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
        return record(message, new Flow(transport, ADVERTISED, destination, transport.reliable() ? "conn-1" : null));
    }

    @Override
    public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
        return record(response, requestFlow);
    }

    private CompletableFuture<Flow> record(SipMessage message, Flow flow) {
        sent.add(new Sent(message, flow, Duration.between(start, scheduler.now())));
        if (holding) {
            CompletableFuture<Flow> later = new CompletableFuture<>();
            held.add(later);
            return later;
        }
        return failing ? CompletableFuture.failedFuture(new IOException("connection refused")) : CompletableFuture.completedFuture(flow);
    }

    @Override
    public boolean isOpen(Flow flow) {
        return true;
    }

    @Override
    public InetSocketAddress advertised(Transport transport) {
        return ADVERTISED;
    }

    List<SipRequest> requests(String method) {
        return sent.stream().map(Sent::message).filter(m -> m instanceof SipRequest r && r.isMethod(method))
                .map(SipRequest.class::cast).toList();
    }

    List<SipResponse> responses() {
        return sent.stream().map(Sent::message).filter(SipResponse.class::isInstance).map(SipResponse.class::cast).toList();
    }

    List<Integer> statuses() {
        return responses().stream().map(SipResponse::status).toList();
    }

    /** Seconds after the start at which messages of this method (request or response CSeq) went out. */
    List<Double> times(String startLinePrefix) {
        return sent.stream().filter(s -> s.message().startLine().startsWith(startLinePrefix))
                .map(s -> s.at().toMillis() / 1000.0).toList();
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
