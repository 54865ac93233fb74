package org.parley.presence;

import java.util.List;
import java.util.Optional;
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
import org.parley.sip.transaction.Scheduler;
import org.parley.xdm.XcapDocuments;

/**
 * The presence server (C5) as the SIP stack plugs it in: PUBLISH, SUBSCRIBE and watcher
 * information (presence.winfo, RFC 3857) services for the router, a registration listener for
 * network-provided presence, and the pres-rules of the XDM server watched for changes.
 */
public final class PresenceServer {
    /** What the presence server needs from the rest of the server. */
    public record Wiring(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator,
                         LocationService location, XcapDocuments documents, Forker forker, Scheduler scheduler) {
    }

    private final PublishService publish;
    private final PresenceSubscriptionService subscriptions;
    private final NetworkPresence network;
    private final WatcherInfoService watcherInfo;

    public PresenceServer(PresenceSettings settings, Wiring w) {
        RequestIdentifier identification = new RequestIdentifier(w.domains(), w.identities(),
                w.authenticator());
        WatcherDialog.Outbox outbox = new WatcherDialog.Outbox(w.forker(), w.domains().domain(), w.scheduler(),
                settings.notifyInterval());
        PresenceNotifier notifier = new PresenceNotifier(outbox, settings);
        PresenceSubscriptionService[] subs = new PresenceSubscriptionService[1];
        Publications publications = new Publications(new InMemoryPublicationStore(), w.scheduler(),
                aor -> subs[0].changed(aor));
        PresRules rules = new PresRules(id -> canonical(w.identities(), id));
        this.subscriptions = subs[0] = new PresenceSubscriptionService(identification, publications, w.location(),
                w.documents(), rules, notifier, w.scheduler());
        this.publish = new PublishService(w.domains(), identification, publications, w.scheduler(), settings);
        this.watcherInfo = new WatcherInfoService(identification, notifier, outbox, settings);
        this.network = new NetworkPresence(w.location(), w.scheduler(), subscriptions::changed);
        w.documents().addListener((where, oldEtag, newEtag) -> {
            if (!where.global() && PresRules.AUID.equals(where.auid()) && PresRules.DOCUMENT.equals(where.documentName())) {
                subscriptions.changed(where.xui());
            }
        });
    }

    /** For the router: PUBLISH to local users, SUBSCRIBE to presence and to presence.winfo (RFC 3857). */
    public List<LocalService> services() {
        return List.of(publish, subscriptions, watcherInfo);
    }

    /** For RegisterService: a registration or refresh makes the user's devices present. */
    public RegistrationListener registrationListener() {
        return network;
    }

    /** A user's bindings changed other than by registering (de-registration, admin removal). */
    public void registrationChanged(String aor) {
        network.registrationChanged(aor);
    }

    private static Optional<String> canonical(IdentityResolver identities, String id) {
        try {
            return identities.aor(Uri.parse(id));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }
}
