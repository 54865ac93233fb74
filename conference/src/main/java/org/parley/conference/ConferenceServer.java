package org.parley.conference;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Optional;
import org.parley.conference.http.RoomsResource;
import org.parley.messaging.MessagingServer;
import org.parley.msrp.session.MsrpEndpoint;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Locator;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.xdm.oma.ActiveSessions;
import org.parley.xdm.oma.GroupService;

/**
 * The conference focus of the OMA picture (C6's group chat and chat rooms): the rooms with their
 * store, the REST API (built with the HTTP side, before SIP starts), and — once the SIP core is
 * up — the SIP service for the groups domain, the pager fan-out, session members on Parley's MSRP
 * endpoint and the conference event package.
 */
public final class ConferenceServer {
    /** The parts of the SIP core the focus rides on. */
    public record Wiring(LocalDomains domains, IdentityResolver identities, RequestAuthenticator senders,
                         MessagingServer messaging, Forker forker, Locator locator, GroupService groups,
                         Scheduler scheduler, Supplier<MsrpEndpoint> msrp) {
    }

    private final Rooms rooms;
    private final ConferenceSettings settings;
    private volatile ActiveSessions sessions = ActiveSessions.NONE;

    /**
     * @param domain the users' domain; rooms live in {@code groups.<domain>} beside the XDM groups
     */
    public ConferenceServer(ConferenceSettings settings, String domain, RoomStore store, Profiles profiles,
                            Scheduler scheduler) {
        this.settings = settings;
        this.rooms = new Rooms(settings, new RoomAddresses("groups." + domain), store, profiles, scheduler);
    }

    public Rooms rooms() {
        return rooms;
    }

    /** {@code /api/v1/rooms...}; {@code accountAor} turns a user name, alias or number into an address of record. */
    public RoomsResource userResource(String domain, Function<String, Optional<String>> accountAor) {
        return new RoomsResource(rooms, domain, accountAor);
    }

    /** The SIP service of the groups domain, wired to the core; rooms tell it what happens from now on. */
    public List<LocalService> services(Wiring w) {
        UserAgent userAgent = new UserAgent(w.forker());
        FocusSessions focus = new FocusSessions(settings, w.msrp(), userAgent, w.scheduler());
        Fanout fanout = new Fanout(w.forker(), w.locator(), focus, w.scheduler());
        Notifier engine = new Notifier(userAgent, w.scheduler(), Duration.ZERO);
        ConferenceEvents conference = new ConferenceEvents(rooms, w.senders(), w.domains(), w.identities(), engine,
                w.scheduler());
        GroupChat groupChat = new GroupChat(w.groups(), w.identities(), w.domains(), fanout, w.scheduler(), settings,
                focus);
        sessions = groupChat;
        AdHocChats adHoc = new AdHocChats(rooms, w.identities(), w.domains(), settings, engine);
        RoomService service = new RoomService(rooms, w.domains(), w.identities(), w.senders(), w.messaging(), fanout,
                conference, groupChat, w.scheduler(), focus, adHoc, settings);
        focus.trafficTo(service);
        rooms.events(service);
        return List.of(service);
    }

    /** Whether a group's chat is going on (UC 5.12): none before the SIP side is up. */
    public ActiveSessions activeSessions() {
        return groupUri -> sessions.active(groupUri);
    }
}
