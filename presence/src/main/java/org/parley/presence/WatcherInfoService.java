package org.parley.presence;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.EventNotifier;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.transaction.ServerTransaction;

/**
 * Watcher information for presence (RFC 3857 presence.winfo, RFC 3858 documents), what reactive
 * authorisation (UC 5.3, IWF-3) needs: the presentity, and only it (403 for anyone else),
 * subscribes at its own address; it gets the full list of its pending and active watchers at
 * once (and on refresh), then a partial document naming only the watcher that changed each time
 * one subscribes, is approved, is rejected, times out or unsubscribes. Each subscription numbers
 * its documents from 0 (RFC 3858 §4.2). A package on the {@link EventNotifier}.
 *
 * <p>The presence notifier's lock of the presentity guards its watcher-info subscriptions too: its
 * listener calls in under it, and a new subscription takes it so that no change falls between the
 * full list and the first partial one.
 */
final class WatcherInfoService implements LocalService, EventNotifier.EventPackage {
    private final RequestIdentifier identification;
    private final PresenceNotifier watchers;
    private final Notifier engine;
    private final EventNotifier notifier;

    WatcherInfoService(RequestIdentifier identification, PresenceNotifier watchers, Notifier engine,
                       PresenceSettings settings) {
        this.identification = identification;
        this.watchers = watchers;
        this.engine = engine;
        this.notifier = new EventNotifier(this, engine, settings.subscriptions(), watchers::lockOf);
        watchers.addWatcherListener(this::watcherChanged);
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
    public CompletionStage<Void> serve(ServerTransaction tx) {
        notifier.serve(tx);
        return ANSWERED;
    }

    @Override
    public String event() {
        return WatcherInfo.EVENT;
    }

    @Override
    public String contentType() {
        return WatcherInfo.CONTENT_TYPE;
    }

    @Override
    public Optional<String> authorise(ServerTransaction tx) {
        Optional<Requester> who = identification.identify(tx, engine.scheduler().now()).map(Requester::of);
        if (who.isPresent() && !who.get().isOwner()) {
            tx.respond(tx.request().createResponse(403, "Only the presentity may see its watchers", tx.localTag()));
            return Optional.empty();
        }
        return who.map(Requester::presentity);
    }

    @Override
    public byte[] fullState(String resource, long version) {
        return WatcherInfo.document(version, true, resource, watchers.watchers(resource));
    }

    /** From the presence notifier, under its lock. */
    private void watcherChanged(String resource, Supplier<PresenceNotifier.Watcher> watcher) {
        notifier.changed(resource, version -> WatcherInfo.document(version, false, resource, List.of(watcher.get())));
    }

    /** The watched presentity's account is deleted: its watcher-info subscriptions end. */
    void endAccount(String aor) {
        notifier.endAll(aor, "noresource");
    }
}
