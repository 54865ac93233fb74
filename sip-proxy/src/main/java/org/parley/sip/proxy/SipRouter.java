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
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.TelUri;
import org.parley.sip.message.Uri;
import org.parley.sip.message.Via;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transaction.TransactionState;
import org.parley.sip.transaction.TransactionUser;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy core (RFC 3261 §16) and the door every request comes through, as a chain of small
 * steps over one {@link RoutingContext} per request; each step answers or forwards the request
 * (and so ends the chain) or hands it on:
 * <ol>
 *   <li>{@link #validate}: 416 / 483 / 420 (RequestValidator), after this server's own Route is removed;</li>
 *   <li>{@link #followRecordedRoute}: a Route is followed only when this server recorded it — the
 *       stamp in its Record-Route says where (a device's flow, a Path hop); any other Route is
 *       refused with 403 and nothing is sent anywhere (issue 9 §2);</li>
 *   <li>{@link #localService}: the registrar, messaging, presence and XDM services;</li>
 *   <li>{@link #serverItself}: OPTIONS and the like to the server's own address;</li>
 *   <li>{@link #foreignDomain}: 403, no relay to other domains;</li>
 *   <li>{@link #dialogToDevice}: a request within a dialog to a registered device's contact;</li>
 *   <li>{@link #authenticate}: everything else is relayed only for an authenticated sender,
 *       challenged before anything is said about the target (issue 9 §3);</li>
 *   <li>{@link #toDevice}, {@link #toUser}: forked in parallel to every registered device.</li>
 * </ol>
 */
public final class SipRouter implements TransactionUser {
    private static final Logger log = LoggerFactory.getLogger(SipRouter.class);

    /** One step of the chain: true when it answered or forwarded the request. */
    private interface Step {
        boolean handle(RoutingContext c);
    }

    private final LocalDomains domains;
    private final SipTransport transport;
    private final Locator locator;
    private final RequestValidator validator;
    private final ServerResponder responder;
    private final SenderGate gate;
    private final List<LocalService> services;
    private final DialogWatch dialogs;
    private final List<Step> steps = List.of(this::validate, this::followRecordedRoute, this::localService,
            this::serverItself, this::foreignDomain, this::dialogToDevice, this::authenticate, this::admitDialog,
            this::toDevice, this::toUser);
    private final ConcurrentMap<ServerTransaction, Fork> forks = new ConcurrentHashMap<>();
    private final AtomicInteger routing = new AtomicInteger();
    private volatile boolean draining;
    private final Forker forker;

    public SipRouter(LocalDomains domains, Forker forker, SipTransport transport, Locator locator,
                     ProxySettings settings, SenderGate gate, List<LocalService> services) {
        this(domains, forker, transport, locator, settings, gate, services, DialogWatch.NONE);
    }

    /** @param dialogs asked about each dialog-creating INVITE and told the final responses the proxy relays */
    public SipRouter(LocalDomains domains, Forker forker, SipTransport transport, Locator locator,
                     ProxySettings settings, SenderGate gate, List<LocalService> services, DialogWatch dialogs) {
        this.dialogs = dialogs;
        this.forker = forker;
        this.domains = domains;
        this.transport = transport;
        this.locator = locator;
        this.validator = new RequestValidator(settings);
        this.responder = new ServerResponder(settings);
        this.gate = gate;
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
            RoutingContext c = context(tx);
            for (Step step : steps) {
                if (step.handle(c)) {
                    break;
                }
            }
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

    private RoutingContext context(ServerTransaction tx) {
        Routed routed = withoutOwnRoute(tx.request());
        SipRequest req = routed.request();
        boolean forServer = isServerItself(req.requestUri()) && !req.headers().has(HeaderNames.ROUTE);
        return new RoutingContext(tx, req, routed.stamp(), forServer, locator);
    }

    private boolean validate(RoutingContext c) {
        Optional<SipResponse> refusal = validator.check(c.request(), c.tx().localTag(), c.forServer());
        refusal.ifPresent(c.tx()::respond);
        return refusal.isPresent();
    }

    /**
     * Where a Route is left after ours, or our stamp names the device's flow, the request goes
     * there — but only along what this server recorded: a Route it did not stamp, or a next hop the
     * stamp does not name, is 403 and nothing is sent (no open relay, no amplifier).
     */
    private boolean followRecordedRoute(RoutingContext c) {
        SipRequest req = c.request();
        Optional<Target> next = recordedNextHop(c.stamp(), req, c.tx().flow());
        if (next.isPresent()) {
            if (refusedOffer(c)) {
                return true;
            }
            along(c.tx(), req, next.get());
            return true;
        }
        if (req.headers().has(HeaderNames.ROUTE)) {
            c.respond(403, "Route not recorded by this server: relaying is not allowed");
            return true;
        }
        return false;
    }

    /**
     * The hop our stamp recorded for this request: the Path hop when the request's next Route is
     * that hop, else the device's flow (RFC 5626 §5.3) unless the request came in on that flow,
     * i.e. from the device itself.
     */
    private static Optional<Target> recordedNextHop(Optional<RouteStamps.Stamp> stamp, SipRequest req, Flow arrivedOn) {
        if (stamp.isEmpty()) {
            return Optional.empty();
        }
        if (req.headers().has(HeaderNames.ROUTE)) {
            Address route = Address.parse(req.headers().values(HeaderNames.ROUTE).get(0));
            return stamp.get().nextHop().filter(hop -> sameHop(route, hop))
                    .map(hop -> Forker.targetFor((SipUri) route.uri()));
        }
        return stamp.get().flow()
                .filter(f -> !(f.remote().equals(arrivedOn.remote()) && f.transport() == arrivedOn.transport()))
                .map(Target::of);
    }

    /** The Route names the recorded hop: same scheme, host and port. */
    private static boolean sameHop(Address route, String recorded) {
        return route.uri() instanceof SipUri r && Address.parse(recorded).uri() instanceof SipUri h
                && r.secure() == h.secure() && r.hostLower().equals(h.hostLower()) && r.port() == h.port();
    }

    private boolean localService(RoutingContext c) {
        for (LocalService s : services) {
            CompletionStage<Void> served;
            try {
                served = s.offer(c.tx(), c.request());
            } catch (RuntimeException e) {
                served = CompletableFuture.failedFuture(e);
            }
            if (served != LocalService.DECLINED) {
                settle(s, c.tx(), served);
                return true;
            }
        }
        return false;
    }

    private boolean serverItself(RoutingContext c) {
        if (c.forServer()) {
            c.tx().respond(responder.answer(c.request(), c.tx().localTag()));
        }
        return c.forServer();
    }

    private boolean foreignDomain(RoutingContext c) {
        Uri target = c.request().requestUri();
        if (!domains.isLocal(target) && !(target instanceof TelUri)) {
            c.respond(403, "Relaying to other domains is not allowed");
            return true;
        }
        return false;
    }

    /** Within a dialog, to a registered device's contact: the dialog's own route, nothing to reveal. */
    private boolean dialogToDevice(RoutingContext c) {
        if (c.inDialog() && c.contact().isPresent()) {
            if (refusedOffer(c)) {
                return true;
            }
            fork(c.tx(), c.request(), List.of(c.contact().get()));
            return true;
        }
        return false;
    }

    /** A new offer within a dialog (re-INVITE, UPDATE) meets the dialog watch's offer rules, as the first did. */
    private boolean refusedOffer(RoutingContext c) {
        SipRequest req = c.request();
        if (!c.inDialog() || !(req.isMethod("INVITE") || req.isMethod("UPDATE"))) {
            return false;
        }
        Optional<SipResponse> refusal = dialogs.offering(req, c.tx().localTag());
        refusal.ifPresent(c.tx()::respond);
        return refusal.isPresent();
    }

    /** The sender must be one of ours; the credentials meant for this server go no further. */
    private boolean authenticate(RoutingContext c) {
        Optional<SipResponse> refusal = gate.refusal(c.tx());
        if (refusal.isPresent()) {
            Challenges.respond(c.tx(), refusal.get());
            return true;
        }
        c.forward(c.request().withHeaders(c.request().headers().remove(HeaderNames.PROXY_AUTHORIZATION)));
        return false;
    }

    /** A new dialog between users: the dialog watch may refuse it (session timer, limits) or change it. */
    private boolean admitDialog(RoutingContext c) {
        if (!c.request().isMethod("INVITE") || c.inDialog()) {
            return false;
        }
        DialogWatch.Admission admission = dialogs.inviting(c.request(), c.tx().flow(), c.tx().localTag());
        if (admission.refusal().isPresent()) {
            c.tx().respond(admission.refusal().get());
            return true;
        }
        c.forward(admission.request());
        return false;
    }

    private boolean toDevice(RoutingContext c) {
        if (c.contact().isPresent()) {
            fork(c.tx(), c.request(), List.of(c.contact().get()));
            return true;
        }
        return false;
    }

    private boolean toUser(RoutingContext c) {
        SipRequest req = c.request();
        if (!locator.exists(req.requestUri())) {
            c.respond(404, "Not Found");
            return true;
        }
        List<ContactTarget> targets = c.devices();
        if (targets.isEmpty() && req.isMethod("SUBSCRIBE")) {
            // nobody to hand a package we do not serve to: say what we do serve (RFC 6665 §8.2.1, §7.2.2)
            c.tx().respond(req.header("Event").isEmpty()
                    ? req.createResponse(400, "Missing Event header", c.tx().localTag())
                    : req.createResponse(489, "Bad Event", c.tx().localTag()).withHeader("Allow-Events", String.join(", ",
                    services.stream().flatMap(s -> s.eventPackages().stream()).distinct().toList())));
            return true;
        }
        if (targets.isEmpty()) {
            c.respond(480, "Temporarily Unavailable (no registered device)");
            return true;
        }
        fork(c.tx(), req, targets);
        return true;
    }

    /**
     * Makes sure a request a local service took gets exactly one final answer: a service that
     * failed, or finished without answering, gets 500 sent for it. Counted as in flight until
     * then, so that a graceful stop waits for it (the count {@link #onRequest} holds covers the
     * service's call itself).
     */
    private void settle(LocalService service, ServerTransaction tx, CompletionStage<Void> served) {
        routing.incrementAndGet();
        served.whenComplete((done, error) -> {
            try {
                SipRequest req = tx.request();
                // the 500 is built only for a transaction still waiting: nearly every one was answered
                TransactionState state = tx.state();
                boolean answered = (state == TransactionState.TRYING || state == TransactionState.PROCEEDING)
                        && tx.respond(req.createResponse(500, "Server Internal Error", tx.localTag()));
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

    /** A request after §16.4, and the stamp our removed Route carried, if it verified. */
    private record Routed(SipRequest request, Optional<RouteStamps.Stamp> stamp) {
    }

    /**
     * §16.4: a top Route that names this server is removed; its stamp, if we made it for this
     * dialog, says where the dialog goes next. An unstamped Route to us (a client's outbound proxy
     * setting) is removed too, and trusted for nothing.
     */
    private Routed withoutOwnRoute(SipRequest req) {
        String routeLine = req.headers().value(HeaderNames.ROUTE); // nearly every request has none
        Optional<String> route = routeLine == null ? Optional.empty() : Optional.of(HeaderValues.splitCommas(routeLine).get(0));
        if (route.isPresent() && Address.parse(route.get()).uri() instanceof SipUri uri && isUs(uri)) {
            Optional<RouteStamps.Stamp> stamp = Optional.ofNullable(uri.user())
                    .flatMap(user -> forker.routeStamps().decode(user, req.callId()));
            return new Routed(req.withHeaders(req.headers().removeFirstValue(HeaderNames.ROUTE)), stamp);
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

    private void along(ServerTransaction tx, SipRequest req, Target target) {
        track(tx, done -> forker.along(req, target, tx.localTag(), upstream(tx, req), done));
    }

    private void fork(ServerTransaction tx, SipRequest req, List<ContactTarget> targets) {
        track(tx, done -> forker.toDevices(req, targets, tx.localTag(), upstream(tx, req), done));
    }

    /**
     * Responses go to the requester; the dialog watch sees the final ones first (and may add to
     * them), and a failed dialog-creating INVITE may be taken over by a local service.
     */
    private java.util.function.Consumer<SipResponse> upstream(ServerTransaction tx, SipRequest req) {
        return response -> {
            SipResponse out = response;
            if (response.isFinal()) {
                try {
                    out = dialogs.answered(req, response, tx.flow());
                } catch (RuntimeException e) {
                    log.warn("dialog watch failed on {} to {} (Call-ID {}): {}", response.status(), req.method(),
                            req.callId(), e.toString());
                }
                if (!response.isSuccess() && req.isMethod("INVITE") && req.to().tag().isEmpty() && takenOver(tx, out)) {
                    return;
                }
            }
            tx.respond(out);
        };
    }

    private boolean takenOver(ServerTransaction tx, SipResponse best) {
        for (LocalService s : services) {
            try {
                if (s.takesOver(tx, best)) {
                    return true;
                }
            } catch (RuntimeException e) {
                log.warn("{} failed on the final {} to INVITE (Call-ID {}): {}", s.getClass().getSimpleName(),
                        best.status(), best.callId(), e.toString());
            }
        }
        return false;
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

    /**
     * ACK for a 2xx is end-to-end (§13.2.2.4): forwarded statelessly along the route this server
     * recorded, or to a registered device's contact; anything else is dropped (an ACK gets no answer,
     * and a stranger's Route must not make us send it anywhere).
     */
    @Override
    public void onAck(SipRequest ack, Flow flow) {
        Routed routed = withoutOwnRoute(ack);
        SipRequest req = routed.request();
        Optional<Target> next = recordedNextHop(routed.stamp(), req, flow);
        if (next.isEmpty() && !req.headers().has(HeaderNames.ROUTE)) {
            next = locator.byContact(req.requestUri()).map(ct -> Target.of(ct.flow()));
        }
        if (next.isEmpty()) {
            log.debug("ACK with no recorded route and no registered contact dropped: {}", req.startLine());
            return;
        }
        Target target = next.get();
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
