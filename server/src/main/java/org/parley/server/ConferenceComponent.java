package org.parley.server;

import io.helidon.webserver.http.HttpService;
import java.util.List;
import org.parley.accounts.AccountAddresses;
import org.parley.accounts.AccountDataService;
import org.parley.conference.ConferenceServer;
import org.parley.conference.RoomAccountData;
import org.parley.conference.XdmProfiles;
import org.parley.conference.store.JdbiRoomStore;
import org.parley.sip.transaction.Scheduler;

/**
 * The conference focus (chat rooms and group chat): its rooms load from the store when it is
 * built, its REST API goes up with the HTTP side, and {@link SipStack} wires its SIP service into
 * the router.
 */
final class ConferenceComponent implements Component {
    private final ServerContext context;
    private final ConferenceServer conference;

    ConferenceComponent(ServerContext context, Scheduler scheduler, XdmComponent xdm) {
        this.context = context;
        this.conference = new ConferenceServer(context.settings().conference(), context.settings().domain(),
                new JdbiRoomStore(context.database()), new XdmProfiles(xdm.documents()), scheduler);
        xdm.sessionsFrom(conference.activeSessions());
    }

    ConferenceServer conference() {
        return conference;
    }

    @Override
    public String name() {
        return "conference";
    }

    @Override
    public void start() {
        // the rooms are loaded; the SIP side starts with SipStack
    }

    @Override
    public void stop() {
        // nothing runs of its own
    }

    /** The rooms an account is in, in its export; deleted, it leaves them and its invitations go. */
    @Override
    public void registerAccountData(AccountDataService data) {
        String domain = context.settings().domain();
        data.register(new RoomAccountData(conference.rooms(), account -> AccountAddresses.aor(account, domain)));
    }

    @Override
    public List<HttpService> userServices() {
        String domain = context.settings().domain();
        return List.of(conference.userResource(domain, who -> context.accounts().resolve(identity(who, domain))
                .map(a -> AccountAddresses.aor(a, domain))));
    }

    /** A user named by user name, alias, number, or an address of this domain ("sip:bob@example.org"). */
    private static String identity(String who, String domain) {
        String suffix = "@" + domain;
        return who.regionMatches(true, 0, "sip:", 0, 4) && who.toLowerCase(java.util.Locale.ROOT).endsWith(suffix)
                ? who.substring(4, who.length() - suffix.length()) : who;
    }
}
