package org.parley.sip.proxy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.sip.message.Headers;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The notifier of an event package whose state is one body per resource (message-summary,
 * xcap-diff), on the {@link Notifier} engine: accepts SUBSCRIBE (new, refresh, unsubscribe),
 * sends the full state at once, later changes when told, a terminated NOTIFY at expiry or
 * unsubscribe, and forgets a subscription whose NOTIFY gets 481 or no answer. Who may subscribe
 * is the package's decision ({@link EventPackage#authorise}).
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

        /** The complete state of the resource, sent first and on refresh. */
        byte[] fullState(String resource);
    }

    private final EventPackage pkg;
    private final Notifier engine;
    private final SubscribeTerms.Limits limits;
    private final Map<String, NotifierDialog> byId = new HashMap<>();

    public EventNotifier(EventPackage pkg, Notifier engine, SubscribeTerms.Limits limits) {
        this.pkg = pkg;
        this.engine = engine;
        this.limits = limits;
    }

    /** Answers a SUBSCRIBE (new, refresh, unsubscribe) of the package. */
    public void serve(ServerTransaction tx) {
        pkg.authorise(tx).ifPresent(resource -> subscribe(tx, resource));
    }

    private synchronized void subscribe(ServerTransaction tx, String resource) {
        String id = Notifier.dialogId(tx);
        NotifierDialog old = byId.get(id);
        if (Notifier.unknownDialog(tx, old != null)) {
            return;
        }
        Optional<SubscribeTerms> terms = engine.terms(tx, limits, List.of(pkg.contentType()));
        if (terms.isEmpty()) {
            return;
        }
        NotifierDialog d = engine.open(tx, resource, terms.get(), old, Headers.EMPTY, () -> end(id, "timeout"));
        engine.accept(tx, d, terms.get(), false);
        if (terms.get().expires().isZero()) {
            // an unsubscribe, or a fetch: the state once, and done
            byId.remove(id);
            d.close();
            notify(d, "terminated;reason=timeout", pkg.fullState(resource));
        } else {
            byId.put(id, d);
            notify(d, d.active(engine.scheduler().now()), pkg.fullState(resource));
        }
    }

    /** The resource changed: every subscription to it gets {@code body}. */
    public synchronized void changed(String resource, byte[] body) {
        for (NotifierDialog d : List.copyOf(byId.values())) {
            if (d.resource().equals(resource)) {
                notify(d, d.active(engine.scheduler().now()), body);
            }
        }
    }

    private synchronized void end(String id, String reason) {
        NotifierDialog d = byId.remove(id);
        if (d != null) {
            notify(d, "terminated;reason=" + reason, pkg.fullState(d.resource()));
        }
    }

    private void notify(NotifierDialog d, String state, byte[] body) {
        engine.notify(d, pkg.event(), state, pkg.contentType(), body, () -> forget(d));
    }

    private synchronized void forget(NotifierDialog d) {
        if (byId.remove(d.id(), d)) {
            d.close();
        }
    }
}
