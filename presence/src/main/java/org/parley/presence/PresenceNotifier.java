package org.parley.presence;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.NotifierDialog;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;

/**
 * The notifier of the presence event package (RFC 6665, RFC 3856), built like the proxy's
 * EventNotifier but with what authorisation needs: every subscription knows its watcher and
 * whether it is pending or active, and {@link #reevaluate} moves it on (pending → active,
 * active → terminated;reason=rejected) when the presentity's rules change. A watcher hears only
 * what differs from the last NOTIFY, so a politely blocked one learns nothing from the timing.
 * Watcher information (RFC 3857) listens to each watcher's comings and goings.
 */
final class PresenceNotifier {
    static final String EVENT = "presence";

    /**
     * One watcher of a presentity as watcher information (RFC 3857 §3.4) tells it.
     *
     * @param id     opaque and stable for the subscription's life (RFC 3858 §4.4)
     * @param status pending, active or terminated
     * @param event  what made it so: subscribe, approved, rejected, timeout
     */
    record Watcher(String id, String uri, String displayName, String status, String event) {
    }

    /** Told, under the notifier's lock, when a watcher of {@code resource} comes, moves on or goes. */
    interface WatcherListener {
        void changed(String resource, Watcher watcher);
    }

    /** A subscription dialog; this side is the notifier. Replaced, never changed, as its view moves on. */
    private record Subscription(String id, String resource, String watcher, String callId, String localTag,
                                Address subscriber, Uri remoteTarget, Flow flow, AtomicLong cseq, long expiresAt,
                                Cancellable timer, WatcherView view) {
        Subscription with(WatcherView v) {
            return new Subscription(id, resource, watcher, callId, localTag, subscriber, remoteTarget, flow, cseq,
                    expiresAt, timer, v);
        }
    }

    private final Forker forker;
    private final Scheduler scheduler;
    private final String notifierHost;
    private final PresenceSettings settings;
    private final Map<String, Subscription> byId = new HashMap<>();
    private final List<WatcherListener> listeners = new CopyOnWriteArrayList<>();

    PresenceNotifier(Forker forker, Scheduler scheduler, String notifierHost, PresenceSettings settings) {
        this.forker = forker;
        this.scheduler = scheduler;
        this.notifierHost = notifierHost;
        this.settings = settings;
    }

    void addWatcherListener(WatcherListener listener) {
        listeners.add(listener);
    }

    /** The current (pending and active) watchers of {@code resource}. */
    synchronized List<Watcher> watchers(String resource) {
        return byId.values().stream().filter(s -> s.resource().equals(resource))
                .map(s -> watcher(s, statusOf(s.view()), "subscribe")).toList();
    }

    private static String statusOf(WatcherView v) {
        return v.standing() == WatcherView.Standing.ACTIVE ? "active" : "pending";
    }

    private static Watcher watcher(Subscription s, String status, String event) {
        String id = UUID.nameUUIDFromBytes(s.id().getBytes(StandardCharsets.UTF_8)).toString();
        return new Watcher(id, s.watcher(), s.subscriber().displayName(), status, event);
    }

    private void tell(Subscription s, String status, String event) {
        Watcher w = watcher(s, status, event);
        listeners.forEach(l -> l.changed(s.resource(), w));
    }

    /**
     * Answers a SUBSCRIBE (new, refresh or unsubscribe) from an authenticated {@code watcher}:
     * 403 when rejected, 202 and a NOTIFY without state when pending, 200 and the view when active.
     */
    synchronized void subscribe(ServerTransaction tx, String resource, String watcher, WatcherView view) {
        SipRequest req = tx.request();
        String id = req.callId() + ";" + tx.localTag();
        Subscription old = byId.get(id);
        if (old == null && req.to().tag().isPresent()) {
            tx.respond(req.createResponse(481, "Subscription Does Not Exist", tx.localTag()));
            return;
        }
        Duration expires = req.header(HeaderNames.EXPIRES)
                .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                .orElse(settings.defaultSubscribe());
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
        if (view.standing() == WatcherView.Standing.REJECTED) {
            tx.respond(req.createResponse(403, "Not allowed to watch this presentity", tx.localTag()));
            if (old != null) {
                end(id, "rejected");
            }
            return;
        }
        if (old != null) {
            byId.remove(id);
            old.timer().cancel();
        }
        boolean pending = view.standing() == WatcherView.Standing.PENDING;
        tx.respond(req.createResponse(pending ? 202 : 200, pending ? "Accepted" : "OK", tx.localTag())
                .withHeader(HeaderNames.EXPIRES, Long.toString(expires.toSeconds()))
                .withHeader(HeaderNames.CONTACT, "<" + resource + ">"));
        Subscription s = new Subscription(id, resource, watcher, req.callId(), tx.localTag(), req.from(),
                Address.parse(contact.get()).uri(), tx.flow(), old != null ? old.cseq() : new AtomicLong(),
                scheduler.now().plus(expires).getEpochSecond(),
                expires.isZero() ? () -> { } : scheduler.schedule(expires, () -> expire(id)), view);
        if (expires.isZero()) {
            // a fetch (RFC 3856 §3.3.6) or an unsubscribe: the current view, once, and done
            notify(s, "terminated;reason=timeout", view.body());
            if (old != null) {
                tell(s, "terminated", "timeout");
            }
        } else {
            byId.put(id, s);
            notify(s, pending ? "pending;expires=" + expires.toSeconds() : "active;expires=" + expires.toSeconds(),
                    view.body());
            if (old == null) {
                tell(s, statusOf(view), "subscribe");
            } else if (!statusOf(old.view()).equals(statusOf(view))) {
                tell(s, statusOf(view), pending ? "subscribe" : "approved");
            }
        }
    }

    /**
     * The presentity or its rules changed: each subscription to it gets its new view — a NOTIFY
     * when that differs from the last, termination when it is no longer allowed.
     */
    synchronized void reevaluate(String resource, Function<String, WatcherView> views) {
        for (Subscription s : List.copyOf(byId.values())) {
            if (!s.resource().equals(resource)) {
                continue;
            }
            WatcherView next = views.apply(s.watcher());
            boolean wasActive = s.view().standing() == WatcherView.Standing.ACTIVE;
            switch (next.standing()) {
                case REJECTED -> end(s.id(), "rejected");
                case PENDING -> {
                    if (wasActive) {
                        end(s.id(), "rejected"); // RFC 6665 has no way back from active to pending
                    }
                }
                case ACTIVE -> {
                    if (!next.sameAs(s.view())) {
                        byId.put(s.id(), s.with(next));
                        notify(s, "active;expires=" + remaining(s), next.body());
                        if (!wasActive) {
                            tell(s, "active", "approved");
                        }
                    }
                }
            }
        }
    }

    private long remaining(Subscription s) {
        return Math.max(0, s.expiresAt() - scheduler.now().getEpochSecond());
    }

    private synchronized void expire(String id) {
        end(id, "timeout");
    }

    private void end(String id, String reason) {
        Subscription s = byId.remove(id);
        if (s != null) {
            s.timer().cancel();
            notify(s, "terminated;reason=" + reason, new byte[0]);
            tell(s, "terminated", reason);
        }
    }

    private void notify(Subscription s, String state, byte[] body) {
        SipRequest notify = new NotifierDialog(s.resource(), s.callId(), s.localTag(), s.subscriber(), s.remoteTarget(),
                s.flow()).notify(notifierHost, s.cseq().incrementAndGet(), EVENT, state,
                body.length > 0 ? Pidf.CONTENT_TYPE : null, body);
        // RFC 6665 §4.2.2: a NOTIFY answered 481, or never answered, ends the subscription
        forker.along(notify, Target.of(s.flow()), s.localTag(), r -> {
            if (r.isFinal() && (r.status() == 481 || r.status() == 408)) {
                forget(s.id());
            }
        }, () -> { });
    }

    private synchronized void forget(String id) {
        Subscription gone = byId.remove(id);
        if (gone != null) {
            gone.timer().cancel();
            tell(gone, "terminated", "timeout"); // the watcher is gone
        }
    }
}
