package org.parley.presence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.NotifierDialog;
import org.parley.sip.proxy.SubscribeTerms;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The resource list server (RFC 4662) for presence: a SUBSCRIBE to a service URI of the owner's
 * rls-services (RFC 4826) with {@code Supported: eventlist} gets one subscription to the whole
 * list — a full-state RLMI NOTIFY at once and on every refresh, then partial state naming only
 * the members that changed (421 without eventlist support, 403 for anyone but the list's owner).
 *
 * <p>The back-end subscriptions to the members are internal: each member's view for the owner
 * comes from the same {@link PresentitySnapshot} as the direct watchers', so the presentity's
 * pres-rules apply to the list's owner, and a thousand lists holding one presentity cost one
 * composition per change. Members that are not users of this server have no instance yet
 * (federation will give them one). Changes to the owner's rls-services or resource-lists
 * documents re-resolve the list and send full state.
 */
final class ResourceListServer implements LocalService {
    /** RFC 4662 §5.2: the 2xx and every NOTIFY of a list subscription require the extension. */
    private static final Headers EVENTLIST = Headers.EMPTY.append("Require", "eventlist");

    private static final class Member {
        final ListDirectory.Member member;
        final String aor;
        final String instance;
        WatcherView view;

        Member(ListDirectory.Member member, String aor, String instance, WatcherView view) {
            this.member = member;
            this.aor = aor;
            this.instance = instance;
            this.view = view;
        }
    }

    private static final class ListSubscription {
        final NotifierDialog dialog;
        final String owner;
        ListDirectory.Service service;
        Map<String, Member> members = new LinkedHashMap<>();
        final Set<String> changed = new LinkedHashSet<>();
        long version;

        ListSubscription(NotifierDialog dialog, String owner, ListDirectory.Service service, long version) {
            this.dialog = dialog;
            this.owner = owner;
            this.service = service;
            this.version = version;
        }
    }

    private final LocalDomains domains;
    private final RequestAuthenticator authenticator;
    private final ListDirectory directory;
    private final Function<String, Optional<String>> canonical;
    private final Function<String, PresentitySnapshot> snapshots;
    private final Notifier engine;
    private final PresenceSettings settings;
    private final PresenceNotifier watchers;
    private final Map<String, ListSubscription> byId = new HashMap<>();
    private final Map<String, Set<ListSubscription>> byMember = new HashMap<>();

    ResourceListServer(LocalDomains domains, RequestAuthenticator authenticator, ListDirectory directory,
                       Function<String, Optional<String>> canonical, Function<String, PresentitySnapshot> snapshots,
                       Notifier engine, PresenceSettings settings, PresenceNotifier watchers) {
        this.domains = domains;
        this.authenticator = authenticator;
        this.directory = directory;
        this.canonical = canonical;
        this.snapshots = snapshots;
        this.engine = engine;
        this.settings = settings;
        this.watchers = watchers;
    }

    @Override
    public boolean accepts(SipRequest request) {
        // asked of every presence SUBSCRIBE: the list URI is not worked out while nobody has a list
        return EventHeader.subscribes(request, PresenceNotifier.EVENT) && directory.hasServices()
                && directory.owner(listUri(request)).isPresent();
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        answer(tx);
        return ANSWERED;
    }

    private void answer(ServerTransaction tx) {
        SipRequest req = tx.request();
        RequestAuthenticator.Outcome who = authenticator.check(req, tx.flow(), tx.localTag(), engine.scheduler().now());
        if (who.refusal() != null) {
            who.refuse(tx);
            return;
        }
        subscribe(tx, domains.aorOf(who.sender().orElseThrow().username()));
    }

    private synchronized void subscribe(ServerTransaction tx, String sender) {
        SipRequest req = tx.request();
        String id = Notifier.dialogId(tx);
        ListSubscription old = byId.get(id);
        if (Notifier.unknownDialog(tx, old != null)) {
            return;
        }
        Optional<ListDirectory.Service> service = directory.service(listUri(req));
        if (service.isEmpty()) {
            tx.respond(req.createResponse(404, "No such list", tx.localTag()));
            return;
        }
        if (!service.get().owner().equals(sender)) {
            tx.respond(req.createResponse(403, "Only the list's owner may subscribe to it", tx.localTag()));
            return;
        }
        if (!supportsEventlist(req)) {
            tx.respond(req.createResponse(421, "Extension Required", tx.localTag()).withHeader("Require", "eventlist"));
            return;
        }
        if (!service.get().packages().isEmpty() && !service.get().packages().contains(PresenceNotifier.EVENT)) {
            tx.respond(req.createResponse(489, "Bad Event", tx.localTag()).withHeader("Allow-Events",
                    String.join(",", service.get().packages())));
            return;
        }
        Optional<SubscribeTerms> terms = engine.terms(tx, settings.subscriptions(), List.of());
        if (terms.isEmpty()) {
            return;
        }
        if (old != null) {
            remove(old);
        }
        long expires = terms.get().expires().toSeconds();
        ListSubscription s = new ListSubscription(engine.open(tx, service.get().uri(), terms.get(),
                old == null ? null : old.dialog, EVENTLIST, () -> expire(id)), sender, service.get(),
                old == null ? 0 : old.version);
        engine.accept(tx, s.dialog, terms.get(), false);
        resolve(s);
        if (expires == 0) {
            s.dialog.close();
            s.members.values().forEach(m -> retire(s, m, "timeout"));
            sendFull(s, "terminated;reason=timeout");
            return;
        }
        add(s);
        sendFull(s, s.dialog.active(engine.scheduler().now()));
    }

    /** A presentity changed: the lists holding it hear of it, paced, as partial state. */
    synchronized void changed(PresentitySnapshot snapshot) {
        for (ListSubscription s : List.copyOf(byMember.getOrDefault(snapshot.aor(), Set.of()))) {
            WatcherView next = snapshot.view(s.owner);
            for (Member m : s.members.values()) {
                if (snapshot.aor().equals(m.aor) && !next.sameAs(m.view)) {
                    boolean approved = m.view.standing() == WatcherView.Standing.PENDING
                            && next.standing() == WatcherView.Standing.ACTIVE;
                    m.view = next;
                    s.changed.add(m.member.uri());
                    announce(s, m, approved ? "approved" : "subscribe");
                }
            }
            if (!s.changed.isEmpty()) {
                s.dialog.paced(engine, this, () -> sendPartial(s));
            }
        }
    }

    /** The owner's account is deleted: its list subscriptions end, not to be retried (RFC 6665 §4.1.3). */
    synchronized void endOwner(String owner) {
        for (ListSubscription s : List.copyOf(byId.values())) {
            if (s.owner.equals(owner)) {
                end(s, "rejected");
                sendFull(s, "terminated;reason=rejected");
            }
        }
    }

    /** The owner's lists changed on the XDM server: its subscriptions get their lists again, in full. */
    synchronized void listsChanged(String owner) {
        for (ListSubscription s : List.copyOf(byId.values())) {
            if (!s.owner.equals(owner)) {
                continue;
            }
            Optional<ListDirectory.Service> now = directory.service(s.service.uri());
            if (now.isEmpty() || !now.get().owner().equals(owner)) {
                end(s, "noresource");
                sendFull(s, "terminated;reason=noresource");
                continue;
            }
            unindex(s);
            s.service = now.get();
            resolve(s);
            index(s);
            sendFull(s, s.dialog.active(engine.scheduler().now()));
        }
    }

    private void resolve(ListSubscription s) {
        Map<String, PresentitySnapshot> taken = new HashMap<>();
        Map<String, Member> members = new LinkedHashMap<>();
        for (ListDirectory.Member m : s.service.members()) {
            String aor = canonical.apply(m.uri()).orElse(null);
            WatcherView view = aor == null ? null : taken.computeIfAbsent(aor, snapshots).view(s.owner);
            members.put(m.uri(), new Member(m, aor, aor == null ? null : instanceId(s, m.uri()), view));
        }
        for (Member gone : s.members.values()) {
            if (gone.aor != null && !members.containsKey(gone.member.uri())) {
                retire(s, gone, "deactivated");
            }
        }
        s.members = members;
        members.values().forEach(m -> announce(s, m, "subscribe"));
    }

    /** The member's presentity sees the list's owner among its watchers (RFC 3857), pending or active. */
    private void announce(ListSubscription s, Member m, String event) {
        if (m.view == null) {
            return;
        }
        String status = switch (m.view.standing()) {
            case ACTIVE -> "active";
            case PENDING -> "pending";
            case REJECTED -> "terminated";
        };
        watchers.otherWatcher(m.aor, new PresenceNotifier.Watcher(m.instance, s.owner, null, status,
                status.equals("terminated") ? "rejected" : event));
    }

    private void retire(ListSubscription s, Member m, String event) {
        if (m.view != null) {
            watchers.otherWatcher(m.aor, new PresenceNotifier.Watcher(m.instance, s.owner, null, "terminated", event));
        }
    }

    private void sendFull(ListSubscription s, String state) {
        s.changed.clear();
        send(s, state, true, s.members.values());
    }

    private void sendPartial(ListSubscription s) {
        if (byId.get(s.dialog.id()) != s || s.changed.isEmpty()) {
            return;
        }
        List<Member> changed = s.changed.stream().map(s.members::get).filter(m -> m != null).toList();
        s.changed.clear();
        send(s, s.dialog.active(engine.scheduler().now()), false, changed);
    }

    /** One RLMI NOTIFY; when the list subscription ends, every instance ends with it (RFC 4662 §5.2). */
    private void send(ListSubscription s, String state, boolean full, Iterable<Member> members) {
        boolean ending = state.startsWith("terminated");
        List<Rlmi.Resource> resources = new ArrayList<>();
        for (Member m : members) {
            Rlmi.Resource r = resource(m);
            resources.add(ending && r.instance() != null ? new Rlmi.Resource(r.uri(), r.name(), r.instance(), "terminated",
                    r.reason(), null) : r);
        }
        Rlmi.Body body = Rlmi.notification(s.service.uri(), s.service.name(), s.version++, full, resources,
                domains.domain());
        engine.notify(s.dialog, PresenceNotifier.EVENT, state, body.contentType(), body.bytes(), () -> forget(s));
    }

    private static Rlmi.Resource resource(Member m) {
        String uri = m.member.uri();
        String name = m.member.name();
        if (m.view == null) {
            return new Rlmi.Resource(uri, name, null, null, null, null);
        }
        return switch (m.view.standing()) {
            case ACTIVE -> new Rlmi.Resource(uri, name, m.instance, "active", null, m.view.body());
            case PENDING -> new Rlmi.Resource(uri, name, m.instance, "pending", null, null);
            case REJECTED -> new Rlmi.Resource(uri, name, m.instance, "terminated", "rejected", null);
        };
    }

    private static String instanceId(ListSubscription s, String uri) {
        return UUID.nameUUIDFromBytes((s.dialog.id() + "\n" + uri).getBytes(StandardCharsets.UTF_8)).toString()
                .substring(0, 13).replace("-", "");
    }

    /**
     * The list a SUBSCRIBE is for: its Request-URI, or — for a refresh sent to the Contact we
     * gave, an address of this server — the same user at the domain, as the service was written.
     */
    private String listUri(SipRequest req) {
        if (req.requestUri() instanceof SipUri u && u.user() != null && !u.user().isEmpty() && domains.isLocal(u)) {
            return "sip:" + u.user() + "@" + domains.domain();
        }
        return req.requestUri().toString();
    }

    private static boolean supportsEventlist(SipRequest req) {
        return req.headers().values("Supported").stream().flatMap(v -> List.of(v.split(",")).stream())
                .anyMatch(t -> t.strip().equalsIgnoreCase("eventlist"));
    }

    private synchronized void expire(String id) {
        ListSubscription s = byId.get(id);
        if (s != null) {
            end(s, "timeout");
            sendFull(s, "terminated;reason=timeout");
        }
    }

    private synchronized void forget(ListSubscription s) {
        if (byId.get(s.dialog.id()) == s) {
            end(s, "timeout");
        }
    }

    private void add(ListSubscription s) {
        byId.put(s.dialog.id(), s);
        index(s);
    }

    private void index(ListSubscription s) {
        s.members.values().stream().filter(m -> m.aor != null)
                .forEach(m -> byMember.computeIfAbsent(m.aor, a -> new LinkedHashSet<>()).add(s));
    }

    private void unindex(ListSubscription s) {
        s.members.values().stream().filter(m -> m.aor != null).forEach(m -> {
            Set<ListSubscription> of = byMember.get(m.aor);
            if (of != null && of.remove(s) && of.isEmpty()) {
                byMember.remove(m.aor);
            }
        });
    }

    private void remove(ListSubscription s) {
        s.dialog.close();
        byId.remove(s.dialog.id());
        unindex(s);
    }

    /** The list subscription is over: its members' presentities no longer see the owner watching. */
    private void end(ListSubscription s, String why) {
        remove(s);
        s.members.values().forEach(m -> retire(s, m, why));
    }
}
