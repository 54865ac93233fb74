package org.parley.presence;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.registrar.LocationService;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/**
 * SUBSCRIBE to presence (RFC 3856): the watcher authenticates, the presentity's pres-rules
 * (RFC 5025) decide — allow: the composed state as the rules cut it; polite-block: a neutral
 * offline document; confirm or no rule: pending until the presentity decides (reactive
 * authorisation, UC 5.3, IWF-3); block: 403. Rules that change later move every subscription
 * on (proactive authorisation IWF-2, removal of a watcher IWF-8).
 */
final class PresenceSubscriptionService implements LocalService {
    /** More presentities than this are forgotten all at once (each costs one composition again). */
    private static final int MAX_SNAPSHOTS = 200_000;

    private final RequestIdentifier identification;
    private final Publications publications;
    private final LocationService location;
    private final PresRulesDocuments documents;
    private final PresRules rules;
    private final PresenceNotifier notifier;
    private final Scheduler scheduler;
    private final List<Consumer<PresentitySnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Executor executor;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /**
     * Each presentity's snapshot as long as its state and rules stay as they are: a SUBSCRIBE to
     * a presentity that has not changed composes, reads and encodes nothing.
     */
    private final Map<String, PresentitySnapshot> current = new ConcurrentHashMap<>();

    PresenceSubscriptionService(RequestIdentifier identification, Publications publications,
                                LocationService location, PresRulesDocuments documents, PresRules rules,
                                PresenceNotifier notifier, Scheduler scheduler, Executor executor) {
        this.executor = executor;
        this.identification = identification;
        this.publications = publications;
        this.location = location;
        this.documents = documents;
        this.rules = rules;
        this.notifier = notifier;
        this.scheduler = scheduler;
    }

    @Override
    public List<String> eventPackages() {
        return List.of(PresenceNotifier.EVENT);
    }

    @Override
    public boolean accepts(SipRequest request) {
        // exactly "presence": presence.winfo is another package (RFC 3857)
        return EventHeader.subscribes(request, PresenceNotifier.EVENT);
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        answer(tx);
        return ANSWERED;
    }

    private void answer(ServerTransaction tx) {
        identification.identify(tx, scheduler.now()).map(Requester::of).ifPresent(who ->
                notifier.subscribe(tx, who.presentity(), who.sender(), snapshot(who.presentity()).view(who.sender())));
    }

    /** Told of every change of a presentity, with the snapshot its watchers were given (the RLS listens). */
    void addListener(Consumer<PresentitySnapshot> listener) {
        listeners.add(listener);
    }

    /**
     * The presentity's state or rules changed: every watcher gets its new view — on the
     * executor, so after the request that changed it has its answer, and once for a burst: a
     * change that comes while one is waiting to run is folded into it. The snapshot is composed
     * when the run starts, so the last run always sees the last state.
     */
    void changed(String aor) {
        current.remove(aor); // before anyone is told: whoever asks from now on gets the new state
        if (dirty.add(aor)) {
            executor.execute(() -> {
                dirty.remove(aor);
                notifyWatchers(aor);
            });
        }
    }

    private void notifyWatchers(String aor) {
        PresentitySnapshot now = snapshot(aor);
        notifier.reevaluate(aor, now::view);
        listeners.forEach(l -> l.accept(now));
    }

    /** The presentity as it is now: the snapshot of its current state, made when first asked for after a change. */
    PresentitySnapshot snapshot(String aor) {
        PresentitySnapshot known = current.get(aor);
        if (known != null) {
            return known;
        }
        if (current.size() >= MAX_SNAPSHOTS) {
            current.clear();
        }
        // made lazily: a change after this (which removes it) is composed by the next one made
        return current.computeIfAbsent(aor, a -> new PresentitySnapshot(a,
                () -> PresenceComposer.compose(a, publications.current(a), location.lookup(a, scheduler.now())),
                () -> documents.read(a), rules));
    }
}
