package org.parley.sip.proxy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.parley.sip.message.Address;
import org.parley.sip.message.Headers;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The notifier of an event package whose state is a body per resource (message-summary,
 * xcap-diff, presence.winfo), on the {@link Notifier} engine: accepts SUBSCRIBE (new, refresh,
 * unsubscribe), sends the full state at once, later changes when told, a terminated NOTIFY at
 * unsubscribe (with the state) or expiry (without), and forgets a subscription whose NOTIFY gets
 * 481 or no answer. Who may subscribe is the package's decision ({@link EventPackage#authorise}).
 */
public final class EventNotifier {
    /** What an event package says about a resource: the plug-in of this notifier. */
    public interface EventPackage {
        String event();

        /** The type of the package's bodies: a subscriber whose Accept excludes it gets 406. */
        String contentType();

        /**
         * Who may subscribe (RFC 6665 §4.2.1.2): the resource (an AOR) the SUBSCRIBE is for, or
         * empty when the package refused it and has answered (401/407, 403...).
         */
        Optional<String> authorise(ServerTransaction tx);

        /**
         * The complete state of the resource, sent first and on refresh.
         *
         * @param version the number of this document in the subscription, from 0, for packages
         *                whose documents carry one (RFC 3858 §4.2; RLMI and conference-info too)
         */
        byte[] fullState(String resource, long version);
    }

    /** One subscription: its dialog, and the number of the last document it was sent. */
    private record Subscription(NotifierDialog dialog, AtomicLong version) {
    }

    private final EventPackage pkg;
    private final Notifier engine;
    private final SubscribeTerms.Limits limits;
    /** The lock that guards a resource's subscriptions (and their entries in both indexes). */
    private final Function<String, Object> lockOf;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    /**
     * The same subscriptions by resource: a change goes through the resource's subscribers only,
     * not through a copy of every subscription of the package (issue 13: presence.winfo is told
     * of every presence SUBSCRIBE, under the presence notifier's lock, and every client may
     * watch its own watchers).
     */
    private final Map<String, SubscriptionTable<Subscription>> byResource = new ConcurrentHashMap<>();

    /** One lock for all the package's subscriptions. */
    public EventNotifier(EventPackage pkg, Notifier engine, SubscribeTerms.Limits limits) {
        this(pkg, engine, limits, oneLock());
    }

    /**
     * @param lockOf the lock that guards a resource's subscriptions; a package whose changes come
     *               in under a lock of its own per resource (presence.winfo: the presence notifier's
     *               lock of the presentity) gives that one, so that no change falls between a full
     *               state and the next, and changes of other resources do not wait. A dialog keeps
     *               its resource: the package derives it from the subscriber, so a refresh names
     *               the same one.
     */
    public EventNotifier(EventPackage pkg, Notifier engine, SubscribeTerms.Limits limits,
                         Function<String, Object> lockOf) {
        this.pkg = pkg;
        this.engine = engine;
        this.limits = limits;
        this.lockOf = lockOf;
    }

    private static Function<String, Object> oneLock() {
        Object lock = new Object();
        return resource -> lock;
    }

    /** Answers a SUBSCRIBE (new, refresh, unsubscribe) of the package. */
    public void serve(ServerTransaction tx) {
        pkg.authorise(tx).ifPresent(resource -> {
            synchronized (lockOf.apply(resource)) {
                subscribe(tx, resource);
            }
        });
    }

    private void subscribe(ServerTransaction tx, String resource) {
        String id = Notifier.dialogId(tx);
        Subscription old = byId.get(id);
        if (Notifier.unknownDialog(tx, old != null)) {
            return;
        }
        Optional<SubscribeTerms> terms = engine.terms(tx, limits, List.of(pkg.contentType()));
        if (terms.isEmpty()) {
            return;
        }
        NotifierDialog d = engine.open(tx, resource, terms.get(), old == null ? null : old.dialog(), Headers.EMPTY,
                () -> end(resource, id));
        // a refresh goes on numbering the documents
        Subscription s = new Subscription(d, old != null ? old.version() : new AtomicLong(-1));
        engine.accept(tx, d, terms.get(), false);
        byte[] full = pkg.fullState(resource, s.version().incrementAndGet());
        if (old != null) {
            drop(old);
        }
        if (terms.get().expires().isZero()) {
            // an unsubscribe, or a fetch: the state once, and done
            d.close();
            notify(s, "terminated;reason=timeout", full);
        } else {
            byId.put(id, s);
            byResource.computeIfAbsent(resource, r -> new SubscriptionTable<>(Subscription::dialog)).add(s);
            notify(s, d.active(engine.scheduler().now()), full);
        }
    }

    /** The resource changed: every subscription to it gets the body made for its next document number. */
    public void changed(String resource, LongFunction<byte[]> body) {
        synchronized (lockOf.apply(resource)) {
            for (Subscription s : subscriptions(resource)) {
                notify(s, s.dialog().active(engine.scheduler().now()), body.apply(s.version().incrementAndGet()));
            }
        }
    }

    /**
     * Ends every subscription to {@code resource} with a terminating NOTIFY giving {@code reason}
     * (RFC 6665 §4.1.3), e.g. {@code noresource} when the account it belongs to is deleted.
     */
    public void endAll(String resource, String reason) {
        synchronized (lockOf.apply(resource)) {
            for (Subscription s : subscriptions(resource)) {
                if (drop(s)) {
                    s.dialog().close();
                    notify(s, "terminated;reason=" + reason, new byte[0]);
                }
            }
        }
    }

    /**
     * Ends the subscriptions to {@code resource} of the subscribers {@code who} picks (by the From
     * of their SUBSCRIBE) with a terminating NOTIFY giving {@code reason}, e.g. {@code rejected}
     * for a member removed from a room, who may no longer watch it (RFC 6665 §4.1.3).
     */
    public void end(String resource, Predicate<Address> who, String reason) {
        synchronized (lockOf.apply(resource)) {
            for (Subscription s : subscriptions(resource)) {
                if (who.test(s.dialog().subscriber()) && drop(s)) {
                    s.dialog().close();
                    notify(s, "terminated;reason=" + reason, new byte[0]);
                }
            }
        }
    }

    /** The lifetime is over: a NOTIFY without state says so (nothing is looked up on the timer). */
    private void end(String resource, String id) {
        synchronized (lockOf.apply(resource)) {
            Subscription s = byId.get(id);
            if (s != null && drop(s)) {
                notify(s, "terminated;reason=timeout", new byte[0]);
            }
        }
    }

    private void notify(Subscription s, String state, byte[] body) {
        engine.notify(s.dialog(), pkg.event(), state, pkg.contentType(), body, () -> forget(s));
    }

    private void forget(Subscription s) {
        synchronized (lockOf.apply(s.dialog().resource())) {
            if (drop(s)) {
                s.dialog().close();
            }
        }
    }

    private List<Subscription> subscriptions(String resource) {
        SubscriptionTable<Subscription> of = byResource.get(resource);
        return of == null ? List.of() : of.list();
    }

    /** Takes {@code s} out of both indexes, if it is still the one filed under its id. */
    private boolean drop(Subscription s) {
        if (!byId.remove(s.dialog().id(), s)) {
            return false;
        }
        String resource = s.dialog().resource();
        SubscriptionTable<Subscription> of = byResource.get(resource);
        if (of != null && of.remove(s) && of.isEmpty()) {
            byResource.remove(resource);
        }
        return true;
    }
}
