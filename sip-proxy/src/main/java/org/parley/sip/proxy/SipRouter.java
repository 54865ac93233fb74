package org.parley.sip.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.message.Via;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transaction.TransactionUser;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy core (RFC 3261 §16) and the door every request comes through: validation, Route
 * processing, local services (registrar, later messaging and presence), then forwarding —
 * forked in parallel to every registered device of a local user, or along the Route set.
 */
public final class SipRouter implements TransactionUser {
    private static final Logger log = LoggerFactory.getLogger(SipRouter.class);

    private final LocalDomains domains;
    private final SipTransport transport;
    private final Locator locator;
    private final RequestValidator validator;
    private final ServerResponder responder;
    private final List<LocalService> services;
    private final ConcurrentMap<ServerTransaction, Fork> forks = new ConcurrentHashMap<>();
    private final AtomicInteger routing = new AtomicInteger();
    private volatile boolean draining;
    private final Forker forker;

    public SipRouter(LocalDomains domains, Forker forker, SipTransport transport, Locator locator,
                     ProxySettings settings, List<LocalService> services) {
        this.forker = forker;
        this.domains = domains;
        this.transport = transport;
        this.locator = locator;
        this.validator = new RequestValidator(settings);
        this.responder = new ServerResponder(settings);
        this.services = List.copyOf(services);
    }

    @Override
    public void onRequest(ServerTransaction tx) {
        if (draining) {
            tx.respond(tx.request().createResponse(503, "Server shutting down", tx.localTag())
                    .withHeader(HeaderNames.RETRY_AFTER, "30"));
            return;
        }
        routing.incrementAndGet();
        try {
            route(tx);
        } catch (RuntimeException e) {
            log.warn("request {} failed: {}", tx.request().startLine(), e.toString());
            tx.respond(tx.request().createResponse(500, "Server Internal Error", tx.localTag()));
        } finally {
            routing.decrementAndGet();
        }
    }

    /**
     * Graceful stop, first half: new requests get 503 with Retry-After, and this waits (at most
     * {@code patience}) until the requests already taken have been answered.
     *
     * @return true when everything in flight was answered in time
     */
    public boolean drain(Duration patience) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + patience.toNanos();
        while (routing.get() > 0 || !forks.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void route(ServerTransaction tx) {
        Routed routed = withoutOwnRoute(tx.request());
        SipRequest req = routed.request();
        boolean forServer = isServerItself(req.requestUri()) && !req.headers().has(HeaderNames.ROUTE);
        Optional<SipResponse> refusal = validator.check(req, tx.localTag(), forServer);
        if (refusal.isPresent()) {
            tx.respond(refusal.get());
            return;
        }
        Optional<Target> overFlow = dialogFlow(routed, tx.flow());
        if (overFlow.isPresent()) {
            along(tx, req, overFlow.get());
            return;
        }
        if (req.headers().has(HeaderNames.ROUTE)) {
            if (req.to().tag().isEmpty() && !isLocalRoute(req)) {
                // an open relay for dialog-creating requests is what spammers look for
                tx.respond(req.createResponse(403, "Relaying to other domains is not allowed", tx.localTag()));
                return;
            }
            forwardAlongRoute(tx, req);
            return;
        }
        for (LocalService s : services) {
            if (s.accepts(req)) {
                serve(s, tx);
                return;
            }
        }
        if (forServer) {
            tx.respond(responder.answer(req, tx.localTag()));
            return;
        }
        if (!domains.isLocal(req.requestUri()) && !(req.requestUri() instanceof org.parley.sip.message.TelUri)) {
            tx.respond(req.createResponse(403, "Relaying to other domains is not allowed", tx.localTag()));
            return;
        }
        Optional<ContactTarget> direct = locator.byContact(req.requestUri());
        if (direct.isPresent()) {
            fork(tx, req, List.of(direct.get()));
            return;
        }
        if (!locator.exists(req.requestUri())) {
            tx.respond(req.createResponse(404, "Not Found", tx.localTag()));
            return;
        }
        List<ContactTarget> targets = locator.lookup(req.requestUri());
        if (targets.isEmpty() && req.isMethod("SUBSCRIBE")) {
            // nobody to hand a package we do not serve to: say what we do serve (RFC 6665 §8.2.1, §7.2.2)
            tx.respond(req.header("Event").isEmpty()
                    ? req.createResponse(400, "Missing Event header", tx.localTag())
                    : req.createResponse(489, "Bad Event", tx.localTag()).withHeader("Allow-Events", String.join(", ",
                    services.stream().flatMap(s -> s.eventPackages().stream()).distinct().toList())));
            return;
        }
        if (targets.isEmpty()) {
            tx.respond(req.createResponse(480, "Temporarily Unavailable (no registered device)", tx.localTag()));
            return;
        }
        fork(tx, req, targets);
    }

    /**
     * Hands the request to a local service and makes sure it gets exactly one final answer: a
     * service that fails, or finishes without answering, gets 500 sent for it. Counted as in
     * flight until then, so that a graceful stop waits for it.
     */
    private void serve(LocalService service, ServerTransaction tx) {
        CompletionStage<Void> served;
        routing.incrementAndGet();
        try {
            served = service.serve(tx);
        } catch (RuntimeException e) {
            served = CompletableFuture.failedFuture(e);
        }
        served.whenComplete((done, error) -> {
            try {
                SipRequest req = tx.request();
                boolean answered = tx.respond(req.createResponse(500, "Server Internal Error", tx.localTag()));
                if (error != null) {
                    log.error("{} failed on {} (Call-ID {}){}", service.getClass().getSimpleName(), req.method(),
                            req.callId(), answered ? ": answered 500" : " after answering", error);
                } else if (answered) {
                    log.error("{} left {} (Call-ID {}) unanswered: answered 500", service.getClass().getSimpleName(),
                            req.method(), req.callId());
                }
            } finally {
                routing.decrementAndGet();
            }
        });
    }

    /** A Request-URI naming this server rather than a user of it (OPTIONS pings, RFC 4475 §3.3.11). */
    private boolean isServerItself(Uri uri) {
        return uri instanceof SipUri sip && sip.user() == null && isUs(sip);
    }

    /** A request after §16.4, and the flow our removed Route pointed at, if it carried a token. */
    private record Routed(SipRequest request, Optional<Flow> flow) {
    }

    /** §16.4: a top Route that names this server is removed; its flow token says where the dialog's device is. */
    private Routed withoutOwnRoute(SipRequest req) {
        Optional<String> route = req.headers().values(HeaderNames.ROUTE).stream().findFirst();
        if (route.isPresent() && Address.parse(route.get()).uri() instanceof SipUri uri && isUs(uri)) {
            Optional<Flow> flow = Optional.ofNullable(uri.user()).flatMap(forker.flowTokens()::decode);
            return new Routed(req.withHeaders(req.headers().removeFirstValue(HeaderNames.ROUTE)), flow);
        }
        return new Routed(req, Optional.empty());
    }

    /** This server: a local host name or address, and no port or one of ours. */
    private boolean isUs(SipUri uri) {
        if (!domains.isLocal(uri.host())) {
            return false;
        }
        if (uri.port() < 0) {
            return true;
        }
        for (Transport t : Transport.values()) {
            if (transport.advertised(t).getPort() == uri.port()) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 5626 §5.3: a request in a dialog whose Route carried the flow token of the device's
     * flow goes over that flow — unless it came in on that flow, i.e. from the device itself.
     */
    private Optional<Target> dialogFlow(Routed routed, Flow arrivedOn) {
        return routed.flow()
                .filter(f -> !routed.request().headers().has(HeaderNames.ROUTE))
                .filter(f -> !(f.remote().equals(arrivedOn.remote()) && f.transport() == arrivedOn.transport()))
                .map(Target::of);
    }

    private boolean isLocalRoute(SipRequest req) {
        return Address.parse(req.headers().values(HeaderNames.ROUTE).get(0)).uri() instanceof SipUri uri && isUs(uri);
    }

    private void forwardAlongRoute(ServerTransaction tx, SipRequest req) {
        Address next = Address.parse(req.headers().values(HeaderNames.ROUTE).get(0));
        if (!(next.uri() instanceof SipUri hop)) {
            tx.respond(req.createResponse(416, "Unsupported URI Scheme in Route", tx.localTag()));
            return;
        }
        along(tx, req, Forker.targetFor(hop));
    }

    private void along(ServerTransaction tx, SipRequest req, Target target) {
        track(tx, done -> forker.along(req, target, tx.localTag(), tx::respond, done));
    }

    private void fork(ServerTransaction tx, SipRequest req, List<ContactTarget> targets) {
        track(tx, done -> forker.toDevices(req, targets, tx.localTag(), tx::respond, done));
    }

    /**
     * Keeps the fork for CANCEL and for draining until its final answer went out. The answer can
     * come before the fork is even returned (a failed flow answers at once), so the map entry is
     * checked again after it is made.
     */
    private void track(ServerTransaction tx, java.util.function.Function<Runnable, Fork> start) {
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Fork fork = start.apply(() -> {
            finished.set(true);
            forks.remove(tx);
        });
        if (!finished.get()) {
            forks.put(tx, fork);
            if (finished.get()) {
                forks.remove(tx);
            }
        }
    }

    @Override
    public void onCancel(ServerTransaction cancelTx, Optional<ServerTransaction> invite) {
        invite.map(forks::get).ifPresent(Fork::cancel);
    }

    /** ACK for a 2xx is end-to-end (§13.2.2.4): forwarded statelessly along its Route or to the contact. */
    @Override
    public void onAck(SipRequest ack, Flow flow) {
        Routed routed = withoutOwnRoute(ack);
        SipRequest req = routed.request();
        Target target;
        Optional<Target> overFlow = dialogFlow(routed, flow);
        if (overFlow.isPresent()) {
            target = overFlow.get();
        } else if (req.headers().has(HeaderNames.ROUTE) && Address.parse(req.headers().values(HeaderNames.ROUTE).get(0)).uri() instanceof SipUri hop) {
            target = Forker.targetFor(hop);
        } else {
            Optional<ContactTarget> ct = locator.byContact(req.requestUri());
            if (ct.isPresent()) {
                target = Target.of(ct.get().flow());
            } else if (req.requestUri() instanceof SipUri uri && !isUs(uri)) {
                target = Forker.targetFor(uri);
            } else {
                return;
            }
        }
        SipRequest out = forker.prepare(req, req.requestUri(), List.of(), null);
        InetSocketAddress us = transport.advertised(target.transport());
        String branch = Via.MAGIC_COOKIE + "-sl-" + Integer.toHexString(req.topVia().branch().orElse(req.callId()).hashCode());
        out = out.withHeaders(out.headers().prepend(HeaderNames.VIA, "SIP/2.0/" + target.transport() + " "
                + us.getHostString() + ":" + us.getPort() + ";branch=" + branch));
        switch (target) {
            case Target.OverFlow f -> transport.send(out, f.flow());
            case Target.ToAddress a -> transport.send(out, a.transport(), a.address());
        }
    }

    /** §16.7 for responses no transaction claims (2xx retransmissions): our Via off, on to the next. */
    @Override
    public void onStrayResponse(SipResponse response, Flow flow) {
        Via top = response.topVia();
        if (!domains.isLocal(top.host()) || !isOurPort(top)) {
            // §18.1.2: a response whose top Via is not ours is discarded, never relayed (RFC 4475 §3.3.10)
            log.debug("discarding a response not addressed to us: {}", response.startLine());
            return;
        }
        SipResponse out = Forker.withoutTopVia(response);
        if (!out.headers().has(HeaderNames.VIA)) {
            return;
        }
        Via next = out.topVia();
        Transport t = Transport.fromVia(next.transport()).orElse(Transport.UDP);
        String host = next.received().orElse(next.host());
        int port = next.params().get("rport").filter(p -> !p.isEmpty()).map(Integer::parseInt).orElse(next.portOrDefault());
        transport.send(out, t, new InetSocketAddress(host, port));
    }

    private boolean isOurPort(Via via) {
        return Transport.fromVia(via.transport())
                .map(t -> transport.advertised(t).getPort() == via.portOrDefault())
                .orElse(false);
    }

    @Override
    public void onServerTimeout(ServerTransaction tx) {
        forks.remove(tx);
    }
}
