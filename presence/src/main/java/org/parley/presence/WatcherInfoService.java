package org.parley.presence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.AcceptHeader;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.ServerTransaction;

/**
 * Watcher information for presence (RFC 3857 presence.winfo, RFC 3858 documents), what reactive
 * authorisation (UC 5.3, IWF-3) needs: the presentity, and only it (403 for anyone else),
 * subscribes at its own address; it gets the full list of its pending and active watchers at
 * once (and on refresh), then a partial document naming only the watcher that changed each time
 * one subscribes, is approved, is rejected, times out or unsubscribes. Each subscription numbers
 * its documents from 0 (RFC 3858 §4.2).
 *
 * <p>The presence notifier's lock guards these subscriptions too: its listener calls in under it,
 * and a new subscription takes it so that no change falls between the full list and the first
 * partial one.
 */
final class WatcherInfoService implements LocalService {
    private record Subscription(WatcherDialog dialog, AtomicLong version) {
    }

    private final RequestIdentifier identification;
    private final PresenceNotifier notifier;
    private final WatcherDialog.Outbox outbox;
    private final PresenceSettings settings;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();

    WatcherInfoService(RequestIdentifier identification, PresenceNotifier notifier, WatcherDialog.Outbox outbox,
                       PresenceSettings settings) {
        this.identification = identification;
        this.notifier = notifier;
        this.outbox = outbox;
        this.settings = settings;
        notifier.addWatcherListener(this::watcherChanged);
    }

    @Override
    public List<String> eventPackages() {
        return List.of(WatcherInfo.EVENT);
    }

    @Override
    public boolean accepts(SipRequest request) {
        return EventHeader.subscribes(request, WatcherInfo.EVENT);
    }

    @Override
    public void serve(ServerTransaction tx) {
        SipRequest req = tx.request();
        Optional<Requester> who = identification.identify(tx, outbox.scheduler().now()).map(Requester::of);
        if (who.isEmpty()) {
            return;
        }
        if (!who.get().isOwner()) {
            tx.respond(req.createResponse(403, "Only the presentity may see its watchers", tx.localTag()));
            return;
        }
        if (!AcceptHeader.of(req).allowsAny(WatcherInfo.CONTENT_TYPE)) {
            tx.respond(req.createResponse(406, "Not Acceptable", tx.localTag())
                    .withHeader(HeaderNames.ACCEPT, WatcherInfo.CONTENT_TYPE));
            return;
        }
        synchronized (notifier) {
            subscribe(tx, who.get().presentity());
        }
    }

    private void subscribe(ServerTransaction tx, String resource) {
        String id = SubscribeTerms.dialogId(tx);
        Subscription old = byId.get(id);
        if (SubscribeTerms.unknownDialog(tx, old != null)) {
            return;
        }
        Optional<SubscribeTerms> terms = SubscribeTerms.of(tx, settings);
        if (terms.isEmpty()) {
            return;
        }
        if (old != null) {
            byId.remove(id);
        }
        long expires = terms.get().expires().toSeconds();
        Subscription s = new Subscription(WatcherDialog.open(tx, resource, terms.get(), old == null ? null : old.dialog(),
                false, outbox, () -> expire(id)), old != null ? old.version() : new AtomicLong(-1));
        tx.respond(tx.request().createResponse(200, "OK", tx.localTag())
                .withHeader(HeaderNames.EXPIRES, Long.toString(expires))
                .withHeader(HeaderNames.CONTACT, s.dialog().contact()));
        byte[] full = WatcherInfo.document(s.version().incrementAndGet(), true, resource, notifier.watchers(resource));
        if (expires == 0) {
            s.dialog().close();
            notify(s, "terminated;reason=timeout", full);
        } else {
            byId.put(id, s);
            notify(s, "active;expires=" + expires, full);
        }
    }

    /** From the presence notifier, under its lock. */
    private void watcherChanged(String resource, PresenceNotifier.Watcher watcher) {
        for (Subscription s : List.copyOf(byId.values())) {
            if (s.dialog().resource.equals(resource)) {
                notify(s, s.dialog().active(outbox.scheduler().now()),
                        WatcherInfo.document(s.version().incrementAndGet(), false, resource, List.of(watcher)));
            }
        }
    }

    /** The watched presentity's account is deleted: its watcher-info subscriptions end. */
    void endAccount(String aor) {
        synchronized (notifier) {
            for (Subscription s : List.copyOf(byId.values())) {
                if (s.dialog().resource.equals(aor) && byId.remove(s.dialog().id, s)) {
                    notify(s, "terminated;reason=noresource", new byte[0]);
                }
            }
        }
    }

    private void expire(String id) {
        synchronized (notifier) {
            Subscription s = byId.remove(id);
            if (s != null) {
                notify(s, "terminated;reason=timeout", new byte[0]);
            }
        }
    }

    private void notify(Subscription s, String state, byte[] body) {
        outbox.send(s.dialog(), WatcherInfo.EVENT, state, WatcherInfo.CONTENT_TYPE, body, () -> {
            synchronized (notifier) {
                if (byId.remove(s.dialog().id, s)) {
                    s.dialog().close();
                }
            }
        });
    }
}
