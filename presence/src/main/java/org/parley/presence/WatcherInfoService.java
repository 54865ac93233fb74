package org.parley.presence;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.NotifierDialog;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;

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
    private record Subscription(String id, String resource, NotifierDialog dialog, AtomicLong cseq,
                                AtomicLong version, long expiresAt, Cancellable timer) {
    }

    private final RequestIdentifier identification;
    private final PresenceNotifier notifier;
    private final Forker forker;
    private final Scheduler scheduler;
    private final String notifierHost;
    private final PresenceSettings settings;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();

    WatcherInfoService(RequestIdentifier identification, PresenceNotifier notifier, Forker forker, Scheduler scheduler,
                       String notifierHost, PresenceSettings settings) {
        this.identification = identification;
        this.notifier = notifier;
        this.forker = forker;
        this.scheduler = scheduler;
        this.notifierHost = notifierHost;
        this.settings = settings;
        notifier.addWatcherListener(this::watcherChanged);
    }

    @Override
    public boolean accepts(SipRequest request) {
        return request.isMethod("SUBSCRIBE")
                && Requester.eventPackage(request).map(WatcherInfo.EVENT::equals).orElse(false);
    }

    @Override
    public void serve(ServerTransaction tx) {
        SipRequest req = tx.request();
        Optional<Requester> who = identification.identify(tx, scheduler.now()).map(Requester::of);
        if (who.isEmpty()) {
            return;
        }
        if (!who.get().isOwner()) {
            tx.respond(req.createResponse(403, "Only the presentity may see its watchers", tx.localTag()));
            return;
        }
        List<String> accept = req.headers().values(HeaderNames.ACCEPT);
        if (!accept.isEmpty() && accept.stream().flatMap(v -> List.of(v.split(",")).stream())
                .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .noneMatch(t -> t.equals(WatcherInfo.CONTENT_TYPE) || t.equals("application/*") || t.equals("*/*"))) {
            tx.respond(req.createResponse(406, "Not Acceptable", tx.localTag())
                    .withHeader(HeaderNames.ACCEPT, WatcherInfo.CONTENT_TYPE));
            return;
        }
        synchronized (notifier) {
            subscribe(tx, who.get().presentity());
        }
    }

    private void subscribe(ServerTransaction tx, String resource) {
        SipRequest req = tx.request();
        String id = req.callId() + ";" + tx.localTag();
        Subscription old = byId.get(id);
        if (old == null && req.to().tag().isPresent()) {
            tx.respond(req.createResponse(481, "Subscription Does Not Exist", tx.localTag()));
            return;
        }
        Duration expires;
        try {
            expires = req.header(HeaderNames.EXPIRES)
                    .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                    .orElse(settings.defaultSubscribe());
        } catch (SipParseException e) {
            tx.respond(req.createResponse(400, "Bad Expires", tx.localTag()));
            return;
        }
        if (!expires.isZero() && expires.compareTo(settings.minSubscribe()) < 0) {
            tx.respond(req.createResponse(423, "Interval Too Brief", tx.localTag())
                    .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(settings.minSubscribe().toSeconds())));
            return;
        }
        expires = expires.compareTo(settings.maxSubscribe()) > 0 ? settings.maxSubscribe() : expires;
        Optional<String> contact = req.headers().values(HeaderNames.CONTACT).stream().findFirst();
        if (contact.isEmpty()) {
            tx.respond(req.createResponse(400, "SUBSCRIBE without Contact", tx.localTag()));
            return;
        }
        Uri remoteTarget;
        try {
            remoteTarget = Address.parse(contact.get()).uri();
        } catch (SipParseException e) {
            tx.respond(req.createResponse(400, "Bad Contact", tx.localTag()));
            return;
        }
        if (old != null) {
            byId.remove(id);
            old.timer().cancel();
        }
        tx.respond(req.createResponse(200, "OK", tx.localTag())
                .withHeader(HeaderNames.EXPIRES, Long.toString(expires.toSeconds()))
                .withHeader(HeaderNames.CONTACT, "<" + resource + ">"));
        Subscription s = new Subscription(id, resource,
                new NotifierDialog(resource, req.callId(), tx.localTag(), req.from(), remoteTarget, tx.flow()),
                old != null ? old.cseq() : new AtomicLong(), old != null ? old.version() : new AtomicLong(-1),
                scheduler.now().plus(expires).getEpochSecond(),
                expires.isZero() ? () -> { } : scheduler.schedule(expires, () -> expire(id)));
        byte[] full = WatcherInfo.document(s.version().incrementAndGet(), true, resource, notifier.watchers(resource));
        if (expires.isZero()) {
            notify(s, "terminated;reason=timeout", full);
        } else {
            byId.put(id, s);
            notify(s, "active;expires=" + expires.toSeconds(), full);
        }
    }

    /** From the presence notifier, under its lock. */
    private void watcherChanged(String resource, PresenceNotifier.Watcher watcher) {
        for (Subscription s : List.copyOf(byId.values())) {
            if (s.resource().equals(resource)) {
                long remaining = Math.max(0, s.expiresAt() - scheduler.now().getEpochSecond());
                notify(s, "active;expires=" + remaining,
                        WatcherInfo.document(s.version().incrementAndGet(), false, resource, List.of(watcher)));
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
        SipRequest notify = s.dialog().notify(notifierHost, s.cseq().incrementAndGet(), WatcherInfo.EVENT, state,
                body.length > 0 ? WatcherInfo.CONTENT_TYPE : null, body);
        Flow flow = s.dialog().flow();
        // RFC 6665 §4.2.2: a NOTIFY answered 481, or never answered, ends the subscription
        forker.along(notify, Target.of(flow), s.dialog().localTag(), r -> {
            if (r.isFinal() && (r.status() == 481 || r.status() == 408)) {
                Subscription gone = byId.remove(s.id());
                if (gone != null) {
                    gone.timer().cancel();
                }
            }
        }, () -> { });
    }
}
