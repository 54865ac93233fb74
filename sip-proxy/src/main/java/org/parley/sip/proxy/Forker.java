package org.parley.sip.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.ClientTransaction;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.Target;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;

/**
 * Sends a request on to devices the way a stateful proxy does (RFC 3261 §16.5-16.7): one client
 * transaction per device, in parallel, over the flow each registered on, and the best response
 * upstream. The proxy core forwards with it; services that must decide on the outcome themselves
 * (the messaging server: relay, or store and forward) use it with their own {@code upstream}.
 */
public final class Forker {
    private final TransactionLayer transactions;
    private final SipTransport transport;
    private final Scheduler scheduler;
    private final RouteStamps routeStamps = new RouteStamps();

    public Forker(TransactionLayer transactions, SipTransport transport, Scheduler scheduler) {
        this.transactions = transactions;
        this.transport = transport;
        this.scheduler = scheduler;
    }

    RouteStamps routeStamps() {
        return routeStamps;
    }

    SipTransport transport() {
        return transport;
    }

    /**
     * Forks to every target at once. A device whose RFC 5626 flow is gone answers 430 Flow
     * Failed for its branch; other devices are reached at their contact when their connection
     * closed.
     *
     * @param upstream receives provisional responses and then exactly one final response
     * @param onFinal  runs once the final response went upstream
     */
    public Fork toDevices(SipRequest req, List<ContactTarget> targets, String localTag,
                          Consumer<SipResponse> upstream, Runnable onFinal) {
        ForkedRequest fork = new ForkedRequest(req, localTag, targets.size(), scheduler, upstream, onFinal);
        for (ContactTarget t : targets) {
            SipRequest branch = prepare(req, t.contact(), t.path(), t.flow());
            if (!t.path().isEmpty()) {
                send(fork, branch, targetFor((SipUri) Address.parse(t.path().get(0)).uri()));
            } else if (transport.isOpen(t.flow()) || t.flow().transport() == Transport.UDP) {
                send(fork, branch, Target.of(t.flow()));
            } else if (t.outbound()) {
                fork.onResponse(null, req.createResponse(430, "Flow Failed", localTag));
            } else {
                send(fork, branch, targetFor(t.contact()));
            }
        }
        return fork;
    }

    /** Forwards along one hop (a Route, or a dialog's flow), Request-URI unchanged. */
    public Fork along(SipRequest req, Target target, String localTag, Consumer<SipResponse> upstream, Runnable onFinal) {
        ForkedRequest fork = new ForkedRequest(req, localTag, 1, scheduler, upstream, onFinal);
        send(fork, prepare(req, req.requestUri(), List.of(), null), target);
        return fork;
    }

    /**
     * Sends a request this server originated ({@link UserAgent}) to one hop as it is: it is no
     * hop of the proxy, so nothing of §16.6 applies.
     */
    void originate(SipRequest req, Target target, String localTag, Consumer<SipResponse> upstream) {
        send(new ForkedRequest(req, localTag, 1, scheduler, upstream, () -> { }), req, target);
    }

    private void send(ForkedRequest fork, SipRequest request, Target target) {
        ClientTransaction ct = transactions.sendRequest(request, target,
                (branch, response) -> fork.onResponse(branch, withoutTopVia(response)));
        fork.add(ct);
    }

    /**
     * §16.6: new Request-URI, Max-Forwards decremented, Path as Route, and for dialogs a
     * Record-Route carrying this server's stamp ({@link RouteStamps}): the device's flow (RFC 5626
     * §5.3) when known and the Path hop after us, sealed, so only routes we recorded are followed.
     */
    SipRequest prepare(SipRequest req, Uri requestUri, List<String> path, Flow deviceFlow) {
        Headers h = req.headers();
        int mf = req.maxForwards().orElse(70);
        h = h.set(HeaderNames.MAX_FORWARDS, Integer.toString(Math.max(0, mf - 1)));
        for (int i = path.size() - 1; i >= 0; i--) {
            h = h.prepend(HeaderNames.ROUTE, path.get(i));
        }
        if (req.isMethod("INVITE") || req.isMethod("SUBSCRIBE") || req.isMethod("REFER")) {
            InetSocketAddress us = transport.advertised(Transport.UDP);
            String stamp = routeStamps.encode(req.callId(), deviceFlow, path.isEmpty() ? null : path.get(0));
            h = h.prepend(HeaderNames.RECORD_ROUTE, "<sip:" + stamp + "@" + us.getHostString() + ":" + us.getPort() + ";lr>");
        }
        return new SipRequest(req.method(), requestUri, h, req.body());
    }

    static Target targetFor(SipUri uri) {
        Transport t = uri.transport().flatMap(Transport::fromVia).orElse(uri.secure() ? Transport.TLS : Transport.UDP);
        int port = uri.port() >= 0 ? uri.port() : (t.secure() ? 5061 : 5060);
        String host = uri.host().startsWith("[") ? uri.host().substring(1, uri.host().length() - 1) : uri.host();
        return Target.of(t, new InetSocketAddress(host, port));
    }

    static SipResponse withoutTopVia(SipResponse r) {
        return r.withHeaders(r.headers().removeFirstValue(HeaderNames.VIA));
    }
}
