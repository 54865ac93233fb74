package org.parley.presence;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.LocationService;
import org.parley.registrar.RegistrationListener;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.xdm.XcapDocuments;

/**
 * The presence server and resource list server (C5) as the SIP stack plugs them in: PUBLISH,
 * SUBSCRIBE, resource list and watcher information (presence.winfo, RFC 3857) services for the router, a registration listener for
 * network-provided presence, and the pres-rules of the XDM server watched for changes.
 */
public final class PresenceServer {
    /** Follows a reference to a stored list of {@code owner} (an XCAP URI) to its entry URIs; empty when it cannot. */
    public interface StoredLists {
        Optional<List<String>> resolve(String owner, String reference);
    }

    /** What the presence server needs from the rest of the server. */
    public record Wiring(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator,
                         LocationService location, XcapDocuments documents, StoredLists lists,
                         Forker forker, Scheduler scheduler, Executor executor) {
    }

    private final PublishService publish;
    private final PresenceSubscriptionService subscriptions;
    private final NetworkPresence network;
    private final WatcherInfoService watcherInfo;
    private final ResourceListServer rls;
    private final Publications publications;
    private final PresenceNotifier notifier;

    public PresenceServer(PresenceSettings settings, Wiring w) {
        RequestIdentifier identification = new RequestIdentifier(w.domains(), w.identities(),
                w.authenticator());
        Notifier engine = new Notifier(new UserAgent(w.forker()), w.scheduler(), settings.notifyInterval());
        PresenceNotifier notifier = this.notifier = new PresenceNotifier(engine, settings);
        PresenceSubscriptionService[] subs = new PresenceSubscriptionService[1];
        Publications publications = this.publications = new Publications(new InMemoryPublicationStore(), w.scheduler(),
                aor -> subs[0].changed(aor));
        PresRules rules = new PresRules(id -> canonical(w.identities(), id));
        PresRulesDocuments presRules = new PresRulesDocuments(w.documents());
        this.subscriptions = subs[0] = new PresenceSubscriptionService(identification, publications, w.location(),
                presRules, rules, notifier, w.scheduler(),
                // unpaced, every state is notified, in order: then the change is notified where it happens
                settings.notifyInterval().isZero() ? Runnable::run : w.executor());
        this.publish = new PublishService(w.domains(), identification, publications, w.scheduler(), settings);
        this.watcherInfo = new WatcherInfoService(identification, notifier, engine, settings);
        this.network = new NetworkPresence(w.location(), w.scheduler(), publications, subscriptions::changed);
        ListDirectory directory = new ListDirectory(w.documents(), w.lists());
        this.rls = new ResourceListServer(w.domains(), w.authenticator(), directory, id -> canonical(w.identities(), id),
                subscriptions::snapshot, engine, settings, notifier);
        subscriptions.addListener(rls::changed);
        w.documents().addListener((where, oldEtag, newEtag) -> {
            if (where.global()) {
                return;
            }
            switch (where.auid()) {
                case PresRules.AUID -> {
                    if (PresRules.DOCUMENT.equals(where.documentName())) {
                        presRules.changed(where.xui());
                        subscriptions.changed(where.xui());
                    }
                }
                case ListDirectory.AUID -> {
                    directory.reindex(where.xui());
                    rls.listsChanged(where.xui());
                }
                case "resource-lists" -> rls.listsChanged(where.xui());
                default -> { }
            }
        });
        // after the listener: a document written while they load is compiled again when told
        w.executor().execute(presRules::preload);
    }

    /**
     * For the router: PUBLISH to local users, SUBSCRIBE to resource lists (RFC 4662; before
     * presence, whose service would take a list URI for an unknown user), to presence and to
     * presence.winfo (RFC 3857).
     */
    public List<LocalService> services() {
        return List.of(publish, rls, subscriptions, watcherInfo);
    }

    /** Whether {@code aor}'s published presence asks not to be contacted now (busy, unwilling): for messaging (GU-4, PP-4). */
    public boolean declinesContact(String aor) {
        return Willingness.declinesContact(aor, publications.current(aor));
    }

    /** For RegisterService: a registration or refresh makes the user's devices present. */
    public RegistrationListener registrationListener() {
        return network;
    }

    /** A user's bindings changed other than by registering (de-registration, admin removal). */
    public void registrationChanged(String aor) {
        network.registrationChanged(aor);
    }

    /**
     * The account {@code aor} is deleted: every subscription it holds (presence, resource lists) and
     * every subscription to it (its watchers, its watcher info) ends with a terminating NOTIFY, and its
     * publications are withdrawn.
     */
    public void endAccount(String aor) {
        notifier.endAccount(aor);
        rls.endOwner(aor);
        watcherInfo.endAccount(aor);
        publications.withdrawAll(aor);
    }

    private static Optional<String> canonical(IdentityResolver identities, String id) {
        try {
            return identities.aor(Uri.parse(id));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }
}
