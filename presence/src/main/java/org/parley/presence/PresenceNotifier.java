package org.parley.presence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.NotifierDialog;
import org.parley.sip.proxy.SubscribeTerms;
import org.parley.sip.proxy.SubscriptionTable;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The notifier of the presence event package (RFC 6665, RFC 3856) with what authorisation needs:
 * every subscription knows its watcher and whether it is pending or active, and
 * {@link #reevaluate} moves it on (pending → active, active → terminated;reason=rejected) when the
 * presentity or its rules change. Subscriptions are indexed by presentity, so a change costs the
 * presentity's watchers only. A watcher hears only what differs from the last NOTIFY, through
 * its filter and in its format ({@link WatcherFormat}), at most once per pacing interval; so a
 * politely blocked one learns nothing from the timing. Watcher information (RFC 3857) listens to
 * each watcher's comings and goings.
 *
 * <p>Each presentity's subscriptions are guarded by its own lock ({@link #lockOf}), not one for the
 * whole notifier: every SUBSCRIBE, change and expiry takes it, and with one lock the SUBSCRIBE
 * profile had a tenth of its samples in threads spinning to enter it (issue 13). Watcher
 * information takes the same lock of the presentity it reports on, so that no change falls between
 * its full list and the first partial one.
 */
final class PresenceNotifier {
    static final String EVENT = "presence";
    private static final int LOCK_STRIPES = 256;

    /**
     * One watcher of a presentity as watcher information (RFC 3857 §3.4) tells it.
     *
     * @param id     opaque and stable for the subscription's life (RFC 3858 §4.4)
     * @param status pending, active or terminated
     * @param event  what made it so: subscribe, approved, rejected, timeout
     */
    record Watcher(String id, String uri, String displayName, String status, String event) {
    }

    /**
     * Told, under the notifier's lock, when a watcher of {@code resource} comes, moves on or goes;
     * the watcher is made only when asked for (a hash and a parse of the From: most presentities
     * have nobody watching their watchers).
     */
    interface WatcherListener {
        void changed(String resource, Supplier<Watcher> watcher);
    }

    /**
     * One watcher's subscription. A server holds hundreds of thousands, so it is kept small: its
     * dialog (the id, From and Contact in one array), the watcher's AOR shared by all its
     * subscriptions, no {@link WatcherFormat} unless the watcher asked for a filter or partial
     * notification (a plain one keeps only the document it was sent last, which its NOTIFYs share
     * with every other watcher of the presentity), and itself as its dialog's expiry callback.
     */
    private final class Subscription implements Runnable {
        NotifierDialog dialog;
        final String watcher;
        /** Null: the whole PIDF, no filter. */
        final WatcherFormat format;
        WatcherView view;
        private byte[] lastSent;

        Subscription(String watcher, WatcherFormat format, WatcherView view) {
            this.watcher = watcher;
            this.format = format;
            this.view = view;
        }

        boolean active() {
            return view.standing() == WatcherView.Standing.ACTIVE;
        }

        /** Refreshed, unsubscribed or ended since: a NOTIFY still waiting for it is not to be sent. */
        boolean over() {
            return dialog.closed();
        }

        /** The whole state, for the first NOTIFY with state and after every SUBSCRIBE. */
        WatcherFormat.Body full(byte[] allowed) {
            if (format != null) {
                return format.full(allowed);
            }
            lastSent = allowed;
            return new WatcherFormat.Body(Pidf.CONTENT_TYPE, allowed);
        }

        /** What to send now that the watcher may see {@code allowed}: empty when it saw that last. */
        Optional<WatcherFormat.Body> next(byte[] allowed) {
            if (format != null) {
                return format.next(allowed);
            }
            return lastSent != null && Arrays.equals(lastSent, allowed) ? Optional.empty() : Optional.of(full(allowed));
        }

        /** Its lifetime is over (the engine's expiry index calls). */
        @Override
        public void run() {
            expire(this);
        }
    }

    private final Notifier engine;
    private final PresenceSettings settings;
    /**
     * The subscriptions by presentity, each presentity's by dialog: an in-dialog SUBSCRIBE is
     * addressed to the Contact this notifier gave, whose user is the presentity's.
     */
    private final Map<String, SubscriptionTable<Subscription>> byResource = new ConcurrentHashMap<>();
    private final List<WatcherListener> listeners = new CopyOnWriteArrayList<>();
    /** Watchers that are not subscriptions of this notifier: the resource list server's back-end ones. */
    private final Map<String, Map<String, Watcher>> others = new ConcurrentHashMap<>();
    /**
     * The presentities' locks: a fixed set of stripes, a presentity's picked by its name's hash,
     * rather than an object per presentity that would have to be made, found and forgotten. Two
     * presentities share one rarely enough with this many (two CPUs or two hundred).
     */
    private final Object[] locks = new Object[LOCK_STRIPES];

    PresenceNotifier(Notifier engine, PresenceSettings settings) {
        this.engine = engine;
        this.settings = settings;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock that guards {@code resource}'s subscriptions and watchers. */
    Object lockOf(String resource) {
        int h = resource.hashCode();
        return locks[(h ^ (h >>> 16)) & (LOCK_STRIPES - 1)];
    }

    void addWatcherListener(WatcherListener listener) {
        listeners.add(listener);
    }

    /** The current (pending and active) watchers of {@code resource}, back-end ones of lists included. */
    List<Watcher> watchers(String resource) {
        synchronized (lockOf(resource)) {
            List<Watcher> all = new ArrayList<>(subscriptions(resource).stream()
                    .map(s -> watcher(s, statusOf(s.view), "subscribe")).toList());
            all.addAll(others.getOrDefault(resource, Map.of()).values());
            return all;
        }
    }

    /**
     * A watcher of {@code resource} that another notifier keeps (the RLS on behalf of a list's
     * owner) came, moved on or went: the presentity's watcher information shows it like any
     * other, so it can approve a list's owner as it approves a direct watcher (UC 5.3).
     */
    void otherWatcher(String resource, Watcher w) {
        synchronized (lockOf(resource)) {
            if (w.status().equals("terminated")) {
                Map<String, Watcher> of = others.get(resource);
                if (of == null || of.remove(w.id()) == null) {
                    return;
                }
                if (of.isEmpty()) {
                    others.remove(resource);
                }
            } else {
                Watcher before = others.computeIfAbsent(resource, r -> new LinkedHashMap<>()).put(w.id(), w);
                if (before != null && before.status().equals(w.status())) {
                    return;
                }
            }
            listeners.forEach(l -> l.changed(resource, () -> w));
        }
    }

    private static String statusOf(WatcherView v) {
        return v.standing() == WatcherView.Standing.ACTIVE ? "active" : "pending";
    }

    private static Watcher watcher(Subscription s, String status, String event) {
        String id = UUID.nameUUIDFromBytes(s.dialog.id().getBytes(StandardCharsets.UTF_8)).toString();
        return new Watcher(id, s.watcher, s.dialog.subscriber().displayName(), status, event);
    }

    private void tell(Subscription s, String status, String event) {
        listeners.forEach(l -> l.changed(s.dialog.resource(), () -> watcher(s, status, event)));
    }

    /**
     * Answers a SUBSCRIBE (new, refresh or unsubscribe) from an authenticated {@code watcher}:
     * 403 when rejected, 202 and a NOTIFY without state when pending, 200 and the view when active.
     * What the request alone decides (its Expires, Contact, Accept and filter: 400, 423, 415, 488,
     * 406) is settled before the presentity's lock, which its every SUBSCRIBE, change and expiry
     * shares (issue 13: the SUBSCRIBE profile had threads spinning for it); so a malformed
     * SUBSCRIBE in an unknown dialog gets its 4xx rather than 481, either refusing it.
     */
    void subscribe(ServerTransaction tx, String resource, String watcher, WatcherView view) {
        Optional<SubscribeTerms> terms = engine.terms(tx, settings.subscriptions(), List.of());
        if (terms.isEmpty()) {
            return;
        }
        Optional<WatcherFormat> format = WatcherFormat.of(tx);
        if (format.isEmpty()) {
            return;
        }
        // one string for each watcher, however many presentities it watches
        String shared = watcher.intern();
        synchronized (lockOf(resource)) {
            subscribe(tx, resource, shared, view, terms.get(), format.get().tailored() ? format.get() : null);
        }
    }

    private void subscribe(ServerTransaction tx, String resource, String watcher, WatcherView view,
                           SubscribeTerms terms, WatcherFormat format) {
        SipRequest req = tx.request();
        Subscription old = find(resource, Notifier.dialogId(tx));
        if (Notifier.unknownDialog(tx, old != null)) {
            return;
        }
        if (view.standing() == WatcherView.Standing.REJECTED) {
            tx.respond(req.createResponse(403, "Not allowed to watch this presentity", tx.localTag()));
            if (old != null) {
                end(old, "rejected");
            }
            return;
        }
        if (old != null) {
            remove(old);
        }
        boolean pending = view.standing() == WatcherView.Standing.PENDING;
        long expires = terms.expires().toSeconds();
        Subscription s = new Subscription(watcher, format, view);
        s.dialog = engine.open(tx, shared(resource), terms, old == null ? null : old.dialog, Headers.EMPTY, s);
        engine.accept(tx, s.dialog, terms, pending);
        String state = expires == 0 ? "terminated;reason=timeout" : (pending ? "pending;expires=" : "active;expires=") + expires;
        // a fetch (RFC 3856 §3.3.6) or an unsubscribe gets the current view once, and is done
        WatcherFormat.Body body = pending ? null : s.full(view.body());
        engine.notifyFirst(s.dialog, terms, EVENT, state, body == null ? null : body.contentType(),
                body == null ? new byte[0] : body.bytes(), () -> forget(s));
        if (expires == 0) {
            s.dialog.close();
            if (old != null) {
                tell(s, "terminated", "timeout");
            }
            return;
        }
        add(s);
        if (old == null) {
            tell(s, statusOf(view), "subscribe");
        } else if (!statusOf(old.view).equals(statusOf(view))) {
            tell(s, statusOf(view), pending ? "subscribe" : "approved");
        }
    }

    /**
     * The presentity or its rules changed: each subscription to it gets its new view — a NOTIFY
     * when what it may see differs from the last, termination when it is no longer allowed.
     */
    void reevaluate(String resource, Function<String, WatcherView> views) {
        synchronized (lockOf(resource)) {
            reevaluateLocked(resource, views);
        }
    }

    private void reevaluateLocked(String resource, Function<String, WatcherView> views) {
        for (Subscription s : subscriptions(resource)) {
            WatcherView next = views.apply(s.watcher);
            switch (next.standing()) {
                case REJECTED -> end(s, "rejected");
                case PENDING -> {
                    if (s.active()) {
                        end(s, "rejected"); // RFC 6665 has no way back from active to pending
                    }
                }
                case ACTIVE -> {
                    boolean wasActive = s.active();
                    s.view = next;
                    if (!wasActive) {
                        // a state change goes at once: the watcher has waited for the presentity's decision
                        send(s, s.dialog.active(engine.scheduler().now()), s.full(next.body()));
                        tell(s, "active", "approved");
                    } else {
                        s.dialog.paced(engine, lockOf(resource), () -> deliver(s));
                    }
                }
            }
        }
    }

    /**
     * The account {@code aor} is deleted: its watchers' subscriptions end with {@code noresource} (the
     * presentity is gone) and its own with {@code rejected} (not to be retried), RFC 6665 §4.1.3.
     */
    void endAccount(String aor) {
        for (String resource : List.copyOf(byResource.keySet())) {
            synchronized (lockOf(resource)) {
                for (Subscription s : subscriptions(resource)) {
                    if (resource.equals(aor)) {
                        end(s, "noresource");
                    } else if (s.watcher.equals(aor)) {
                        end(s, "rejected");
                    }
                }
            }
        }
    }

    /** The paced NOTIFY of a content change: the view as it is now, if the watcher wants it. */
    private void deliver(Subscription s) {
        if (s.over() || !s.active()) {
            return;
        }
        s.next(s.view.body()).ifPresent(body -> send(s, s.dialog.active(engine.scheduler().now()), body));
    }

    private void expire(Subscription s) {
        synchronized (lockOf(s.dialog.resource())) {
            if (!s.over()) {
                end(s, "timeout");
            }
        }
    }

    private void end(Subscription s, String reason) {
        remove(s);
        send(s, "terminated;reason=" + reason, null);
        tell(s, "terminated", reason);
    }

    /** The resource's name as the subscriptions to it already hold it: one string for all its watchers. */
    private String shared(String resource) {
        SubscriptionTable<Subscription> of = byResource.get(resource);
        return of == null ? resource : of.any().dialog.resource();
    }

    private Subscription find(String resource, String dialogId) {
        SubscriptionTable<Subscription> of = byResource.get(resource);
        return of == null ? null : of.get(dialogId);
    }

    private List<Subscription> subscriptions(String resource) {
        SubscriptionTable<Subscription> of = byResource.get(resource);
        return of == null ? List.of() : of.list();
    }

    private void add(Subscription s) {
        byResource.computeIfAbsent(s.dialog.resource(), r -> new SubscriptionTable<>(sub -> sub.dialog)).add(s);
    }

    private void remove(Subscription s) {
        s.dialog.close();
        SubscriptionTable<Subscription> of = byResource.get(s.dialog.resource());
        if (of != null && of.remove(s) && of.isEmpty()) {
            byResource.remove(s.dialog.resource());
        }
    }

    private void send(Subscription s, String state, WatcherFormat.Body body) {
        engine.notify(s.dialog, EVENT, state, body == null ? null : body.contentType(),
                body == null ? new byte[0] : body.bytes(), () -> forget(s));
    }

    private void forget(Subscription s) {
        synchronized (lockOf(s.dialog.resource())) {
            if (!s.over()) {
                remove(s);
                tell(s, "terminated", "timeout"); // the watcher is gone
            }
        }
    }
}
