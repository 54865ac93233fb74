package org.parley.conference;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.parley.accounts.Account;
import org.parley.conference.PagerCommand.Verb;
import org.parley.messaging.IsComposing;
import org.parley.messaging.MessagingServer;
import org.parley.msrp.sdp.MalformedSdp;
import org.parley.msrp.sdp.MsrpMedia;
import org.parley.msrp.sdp.SessionDescription;
import org.parley.msrp.session.MessageRefused;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The focus's SIP door for everything addressed to the groups domain: pager MESSAGEs to a room
 * (fanned out to its members, or a {@code #command}), SUBSCRIBE {@code conference} to a room,
 * MESSAGEs to an XDM group ({@link GroupChat}). Every sender is authenticated first, and every
 * MESSAGE passes the messaging server's sender checks (size, content type, the one rate limiter)
 * before anything is done with it. An INVITE offering MSRP to a room (or an XDM group) makes a
 * session member ({@link FocusSessions}): what they send passes the same checks and rules as a
 * pager member's MESSAGE, and a member the session brought in leaves when it ends. An INVITE with a
 * URI list to the conference factory and REFER to a room are {@link AdHocChats}'.
 */
final class RoomService implements LocalService, RoomEvents, FocusSessions.Traffic {
    private static final String TEXT = "text/plain;charset=UTF-8";

    private final Rooms rooms;
    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final RequestAuthenticator senders;
    private final MessagingServer messaging;
    private final Fanout fanout;
    private final ConferenceEvents conference;
    private final GroupChat groups;
    private final Scheduler scheduler;
    private final FocusSessions sessions;
    private final AdHocChats adHoc;
    private final ConferenceSettings settings;

    RoomService(Rooms rooms, LocalDomains domains, IdentityResolver identities, RequestAuthenticator senders,
                MessagingServer messaging, Fanout fanout, ConferenceEvents conference, GroupChat groups,
                Scheduler scheduler, FocusSessions sessions, AdHocChats adHoc, ConferenceSettings settings) {
        this.rooms = rooms;
        this.domains = domains;
        this.identities = identities;
        this.senders = senders;
        this.messaging = messaging;
        this.fanout = fanout;
        this.conference = conference;
        this.groups = groups;
        this.scheduler = scheduler;
        this.sessions = sessions;
        this.adHoc = adHoc;
        this.settings = settings;
    }

    @Override
    public boolean accepts(SipRequest request) {
        if (request.isMethod("BYE")) {
            return sessions.owns(request);
        }
        return rooms.addresses().inGroupDomain(request.requestUri())
                && (request.isMethod("MESSAGE") || request.isMethod("INVITE") || request.isMethod("REFER")
                || EventHeader.subscribes(request, ConferenceEvents.EVENT));
    }

    @Override
    public List<String> eventPackages() {
        return List.of(ConferenceEvents.EVENT);
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        SipRequest req = tx.request();
        if (req.isMethod("SUBSCRIBE")) {
            conference.serve(tx);
            return ANSWERED;
        }
        if (req.isMethod("BYE")) {
            sessions.bye(tx);
            return ANSWERED;
        }
        Instant now = scheduler.now();
        RequestAuthenticator.Outcome who = senders.check(req, tx.flow(), tx.localTag(), now);
        if (who.refusal() != null) {
            who.refuse(tx);
            return ANSWERED;
        }
        Account sender = who.sender().orElseThrow();
        Optional<SipResponse> refused = req.isMethod("INVITE") || req.isMethod("REFER") ? Optional.empty()
                : messaging.senderRefusal(req, sender, now, tx.localTag());
        if (refused.isPresent()) {
            tx.respond(refused.get());
            return ANSWERED;
        }
        String aor = domains.aorOf(sender.username());
        if (req.isMethod("INVITE")) {
            if (rooms.addresses().isFactory(req.requestUri())) {
                adHoc(tx, sender, aor);
            } else {
                invite(tx, sender, aor);
            }
            return ANSWERED;
        }
        if (req.isMethod("REFER")) {
            adHoc.refer(tx, aor);
            return ANSWERED;
        }
        Optional<String> room = rooms.addresses().nameOf(req.requestUri());
        if (room.isEmpty()) {
            tx.respond(groups.message(req, aor, tx.localTag()));
            return ANSWERED;
        }
        try {
            tx.respond(toRoom(req, room.get(), aor, tx.localTag()));
        } catch (RoomException e) {
            tx.respond(req.createResponse(status(e.kind()), reason(e.getMessage()), tx.localTag()));
        }
        return ANSWERED;
    }

    /**
     * A reason phrase (RFC 3261 §25.1) from an answer that may repeat what members typed: its
     * first line, without control characters, at most 200 characters.
     */
    static String reason(String text) {
        String line = text.lines().findFirst().orElse("OK").replaceAll("\\p{Cntrl}", " ").strip();
        return line.isEmpty() ? "OK" : line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    static int status(RoomException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case FORBIDDEN, DISABLED, CONFLICT -> 403;
        };
    }

    private SipResponse toRoom(SipRequest req, String name, String aor, String tag) {
        String type = req.contentType().orElse("text/plain");
        String base = baseType(type);
        String text = base.equals("text/plain") ? new String(req.body(), StandardCharsets.UTF_8) : "";
        String screen = screenNameOf(req);
        if (!screen.isEmpty()) {
            // UC 5.17: a MESSAGE to a member's entity in the room (conference-info) is a private message
            Rooms.Posted p = rooms.privately(name, aor, URLDecoder.decode(screen, StandardCharsets.UTF_8));
            fanout.message(p, type, req.body());
            return req.createResponse(200, "Sent privately", tag);
        }
        if (PagerCommand.isCommand(text)) {
            String reply = command(PagerCommand.parse(text), name, aor);
            return req.createResponse(200, reason(reply), tag);
        }
        ChatRoom room = rooms.room(name);
        if (!room.config().publicRoom() && MessagingServer.asksForAnonymity(req)) {
            // a room shows who speaks (PP-31); anonymity is what public rooms' screen names are for
            return req.createResponse(403, "This room shows who speaks: no anonymous messages (RFC 3323)", tag);
        }
        if (room.config().publicRoom() && base.equals("message/cpim")) {
            // a CPIM body names its author: in a public room nobody's address is shown (UC 5.17)
            return req.createResponse(415, "A public room takes no message/cpim: it would show your address", tag);
        }
        Rooms.Posted posted = rooms.post(name, aor, type, req.body());
        fanout.message(posted, type, req.body());
        return req.createResponse(200, "Sent to " + posted.recipients().size() + " members", tag);
    }

    /** Runs a pager command; its answer goes to the sender's devices, its first line is the reason phrase. */
    private String command(PagerCommand c, String name, String aor) {
        if (c.verb() == Verb.HELP) {
            fanout.notice(rooms.room(name), aor, PagerCommand.help());
            return "Commands sent";
        }
        if (c.verb() == Verb.CREATE) {
            return create(c, name, aor);
        }
        if (c.verb() == Verb.JOIN || c.verb() == Verb.ACCEPT) {
            return join(name, aor, c.arg(0));
        }
        ChatRoom room = rooms.room(name);
        String reply = switch (c.verb()) {
            case DECLINE -> {
                Invitation i = rooms.decline(name, aor);
                fanout.notice(room, i.inviter(), aor + " declined the invitation to " + room.config().subject());
                yield "Invitation declined";
            }
            case LEAVE -> {
                rooms.leave(name, aor);
                yield "You left " + room.config().subject();
            }
            case LIST -> list(name, aor);
            case INVITE -> invite(room, aor, c);
            case CANCEL -> {
                rooms.cancel(name, aor, account(c.arg(0).orElseThrow()));
                yield "Invitation withdrawn";
            }
            case KICK -> "Removed " + rooms.kick(name, aor, c.arg(0).orElseThrow()).screenName();
            case BAN -> "Banned " + rooms.ban(name, aor, c.arg(0).orElseThrow()).screenName();
            case UNBAN -> {
                String who = account(c.arg(0).orElseThrow());
                rooms.unban(name, aor, who);
                yield "Unbanned " + who;
            }
            case ADMIN -> rooms.role(name, aor, c.arg(0).orElseThrow(), Role.ADMINISTRATOR).screenName()
                    + " is an administrator";
            case UNADMIN -> rooms.role(name, aor, c.arg(0).orElseThrow(), Role.MEMBER).screenName()
                    + " is no longer an administrator";
            case NAME -> saved(rooms.configure(name, aor, k -> new RoomConfig(c.rest(), k.topic(),
                    k.maxMembers(), k.locked(), k.publicRoom(), k.adultOnly(), k.historySize())));
            case TOPIC -> saved(rooms.configure(name, aor, k -> new RoomConfig(k.subject(), c.rest(),
                    k.maxMembers(), k.locked(), k.publicRoom(), k.adultOnly(), k.historySize())));
            case MAX -> saved(rooms.configure(name, aor, k -> new RoomConfig(k.subject(), k.topic(),
                    number(c.arg(0).orElseThrow()), k.locked(), k.publicRoom(), k.adultOnly(), k.historySize())));
            case LOCK, UNLOCK -> saved(rooms.configure(name, aor, k -> new RoomConfig(k.subject(), k.topic(),
                    k.maxMembers(), c.verb() == Verb.LOCK, k.publicRoom(), k.adultOnly(), k.historySize())));
            case CLOSE -> {
                rooms.close(name, aor);
                yield "Room closed";
            }
            case MSG -> {
                Rooms.Posted p = rooms.privately(name, aor, c.arg(0).orElseThrow());
                fanout.message(p, TEXT, c.rest().getBytes(StandardCharsets.UTF_8));
                yield "Sent privately to " + p.recipients().get(0).screenName();
            }
            case HISTORY -> {
                List<RoomMessage> history = rooms.history(name, aor);
                history.forEach(m -> fanout.fromHistory(room, m, aor));
                yield history.size() + " messages of the history sent";
            }
            case CREATE, JOIN, ACCEPT, HELP -> throw new IllegalStateException("handled above");
        };
        rooms.find(name).ifPresent(r -> fanout.notice(r, aor, reply));
        return reply;
    }

    /** {@code #create [public] [adult] [screen-name]} to the URI of a room that does not exist yet (PP-39). */
    private String create(PagerCommand c, String name, String aor) {
        boolean publicRoom = c.has("public");
        RoomConfig d = rooms.defaults(name, publicRoom);
        RoomConfig config = new RoomConfig(d.subject(), d.topic(), d.maxMembers(), d.locked(), publicRoom,
                c.has("adult"), d.historySize());
        Optional<String> screen = c.args().stream()
                .filter(a -> !a.equalsIgnoreCase("public") && !a.equalsIgnoreCase("adult")).findFirst();
        ChatRoom room = rooms.create(aor, name, config, screen);
        String reply = "Room " + room.uri() + " created; you are its administrator. #help lists the commands";
        fanout.notice(room, aor, reply);
        return reply;
    }

    /** PP-27: joins, is welcomed, then gets the room's recent messages (history), oldest first. */
    private String join(String name, String aor, Optional<String> screenName) {
        Rooms.Joined j = rooms.join(name, aor, screenName);
        RoomConfig c = j.room().config();
        String reply = "Welcome to " + c.subject() + " as " + j.member().screenName() + "; "
                + j.room().members().size() + " members" + (c.topic().isEmpty() ? "" : "; topic: " + c.topic());
        fanout.notice(j.room(), aor, reply);
        j.history().forEach(m -> fanout.fromHistory(j.room(), m, aor));
        return reply;
    }

    private String list(String name, String aor) {
        ChatRoom room = rooms.room(name);
        if (room.member(aor).isEmpty()) {
            throw new RoomException(RoomException.Kind.FORBIDDEN, "You are not a member of this room");
        }
        return room.members().size() + " members: " + room.members().stream()
                .map(m -> room.shown(m) + (m.administrator() ? " [administrator]" : ""))
                .collect(Collectors.joining(", "));
    }

    /** PP-30: {@code #invite <user> [hidden]}; the invitee hears of it from the room ({@link #invitation}). */
    private String invite(ChatRoom room, String aor, PagerCommand c) {
        String invitee = account(c.arg(0).orElseThrow());
        rooms.invite(room.name(), aor, invitee, c.has("hidden"));
        return "Invited " + invitee;
    }

    /** A user named in a command: a user name, alias or number of this domain, or a full address. */
    private String account(String who) {
        String uri = who.contains(":") ? who : "sip:" + who + "@" + domains.domain();
        try {
            return identities.resolve(Uri.parse(uri)).map(a -> domains.aorOf(a.username()))
                    .orElseThrow(() -> new RoomException(RoomException.Kind.NOT_FOUND, "No user " + who));
        } catch (SipParseException e) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Not a user name or address: " + who);
        }
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RoomException(RoomException.Kind.BAD_REQUEST, "Not a number: " + text);
        }
    }

    private static String saved(ChatRoom room) {
        return "Settings saved: " + describe(room.config());
    }

    static String describe(RoomConfig c) {
        return "name " + c.subject() + (c.topic().isEmpty() ? "" : ", topic " + c.topic()) + ", at most "
                + c.maxMembers() + " members" + (c.locked() ? ", locked" : "") + (c.publicRoom() ? ", public" : "")
                + (c.adultOnly() ? ", adults only" : "");
    }

    private static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * RFC 4353 §5, RFC 4579 §3: an INVITE offering MSRP to a room joins its sender for as long as
     * the session lasts (a member already keeps their membership); the welcome and the history come
     * as the session's first SENDs. The From display name is the screen name asked for.
     */
    private void invite(ServerTransaction tx, Account sender, String aor) {
        SipRequest req = tx.request();
        String tag = tx.localTag();
        Optional<String> name = rooms.addresses().nameOf(req.requestUri());
        if (name.isEmpty()) {
            groupSession(tx, sender, aor);
            return;
        }
        Optional<ChatRoom> room = rooms.find(name.get());
        if (room.isEmpty()) {
            tx.respond(req.createResponse(404, "No room " + name.get(), tag));
            return;
        }
        if (!room.get().config().publicRoom() && MessagingServer.asksForAnonymity(req)) {
            tx.respond(req.createResponse(403, "This room shows who speaks: no anonymous sessions (RFC 3323)", tag));
            return;
        }
        Optional<MsrpMedia> offered = offer(tx);
        if (offered.isEmpty()) {
            return;
        }
        MsrpMedia offer = offered.get();
        if (!screenNameOf(req).isEmpty()) {
            // UC 5.17: a session with one member goes through the room, never around it to the member
            tx.respond(req.createResponse(settings.privateContact() || !room.get().config().publicRoom() ? 488 : 403,
                    privateContactRefusal(room.get()), tag));
            return;
        }
        FocusSessions.Result opened = sessions.open(tx, name.get(), aor, sender, offer);
        if (opened.refusal() != null) {
            tx.respond(opened.refusal());
            return;
        }
        FocusSessions.Session session = opened.session().orElseThrow();
        boolean newcomer = room.get().member(aor).isEmpty();
        session.joinedBySession = newcomer;
        Optional<String> screen = newcomer ? Optional.ofNullable(req.from().displayName())
                .flatMap(ScreenNames::fromDisplayName) : Optional.empty();
        try {
            join(name.get(), aor, screen);
        } catch (RoomException e) {
            sessions.discard(session);
            tx.respond(req.createResponse(status(e.kind()), reason(e.getMessage()), tag));
            return;
        }
        tx.respond(sessions.answer(session, offer, room.get().uri()));
    }

    /** UC 5.7, 5.8: a session with an XDM group's chat, for its members (the group's policy decides who they are). */
    private void groupSession(ServerTransaction tx, Account sender, String aor) {
        SipRequest req = tx.request();
        Optional<SipResponse> refused = groups.sessionRefusal(req, aor, tx.localTag());
        if (refused.isPresent()) {
            tx.respond(refused.get());
            return;
        }
        Optional<MsrpMedia> offer = offer(tx);
        if (offer.isEmpty()) {
            return;
        }
        String group = GroupChat.groupUri(req.requestUri());
        FocusSessions.Result opened = sessions.open(tx, group, aor, sender, offer.get());
        if (opened.refusal() != null) {
            tx.respond(opened.refusal());
            return;
        }
        tx.respond(sessions.answer(opened.session().orElseThrow(), offer.get(), group));
    }

    /** The MSRP offer of an INVITE; empty when it has none, the INVITE then answered (415, 400, 488). */
    private static Optional<MsrpMedia> offer(ServerTransaction tx) {
        SipRequest req = tx.request();
        if (!baseType(req.contentType().orElse("")).equals("application/sdp")) {
            tx.respond(req.createResponse(415, "A chat session needs an SDP offer of an MSRP stream", tx.localTag())
                    .withHeader(HeaderNames.ACCEPT, "application/sdp"));
            return Optional.empty();
        }
        try {
            return Optional.of(SessionDescription.parse(req.body()).chat());
        } catch (MalformedSdp e) {
            tx.respond(req.createResponse(e.fault().sipStatus(), reason(e.getMessage()), tx.localTag()));
            return Optional.empty();
        }
    }

    /**
     * GIM-4, UC 5.4, RFC 5366: an INVITE with a URI list to the conference factory makes an ad-hoc
     * room; the inviter joins it in this session (its administrator), everyone listed is invited.
     */
    private void adHoc(ServerTransaction tx, Account sender, String aor) {
        SipRequest req = tx.request();
        String tag = tx.localTag();
        AdHocChats.Start start;
        try {
            start = adHoc.read(req, aor);
        } catch (RoomException e) {
            tx.respond(req.createResponse(status(e.kind()), reason(e.getMessage()), tag));
            return;
        } catch (MalformedSdp e) {
            tx.respond(req.createResponse(e.fault().sipStatus(), reason(e.getMessage()), tag));
            return;
        }
        ChatRoom room;
        try {
            room = rooms.createAdHoc(aor, start.subject());
        } catch (RoomException e) {
            tx.respond(req.createResponse(status(e.kind()), reason(e.getMessage()), tag));
            return;
        }
        FocusSessions.Result opened = sessions.open(tx, room.name(), aor, sender, start.offer());
        if (opened.refusal() != null) {
            rooms.close(room.name(), aor);
            tx.respond(opened.refusal());
            return;
        }
        FocusSessions.Session session = opened.session().orElseThrow();
        session.joinedBySession = true;
        join(room.name(), aor, Optional.empty());
        fanout.notice(room, aor, "Ad-hoc chat " + room.uri() + " started; " + start.invitees().size()
                + " invited. REFER others to it to add them");
        try {
            adHoc.inviteAll(room, aor, start);
        } catch (RoomException e) {
            sessions.discard(session);
            rooms.close(room.name(), aor);
            tx.respond(req.createResponse(status(e.kind()), reason(e.getMessage()), tag));
            return;
        }
        tx.respond(sessions.answer(session, start.offer(), room.uri()));
    }

    /** The screen name a Request-URI addresses inside a room (the entity of conference-info, UC 5.17). */
    private static String screenNameOf(SipRequest req) {
        return req.requestUri() instanceof SipUri sip ? sip.params().get("screen-name").orElse("") : "";
    }

    private String privateContactRefusal(ChatRoom room) {
        return settings.privateContact() || !room.config().publicRoom()
                ? "A session with one member is not offered: send them a private message through the room"
                : Rooms.NO_PRIVATE_CONTACT;
    }

    /**
     * A whole message from a session member: the same sender checks as a pager member's MESSAGE
     * (the operator's switches, size, type, the one rate limiter, a CPIM From that is theirs),
     * then the room's rules; refusals become the MSRP status of its last chunk.
     */
    @Override
    public void message(FocusSessions.Session s, String contentType, byte[] content) {
        boolean group = s.room.contains(":");
        String uri = group ? s.room : rooms.addresses().uriOf(s.room);
        try {
            RoomCpim.Inbound in = RoomCpim.read(uri, contentType, content);
            if (IsComposing.is(in.contentType(), in.body())) {
                return; // the focus keeps no typing state (RFC 3994 indications are not fanned out)
            }
            SipRequest asMessage = UserAgent.request("MESSAGE", SipUri.parse(uri), "<" + s.aor + ">", "<" + uri + ">",
                    Headers.EMPTY, contentType, content);
            Optional<SipResponse> refused = messaging.senderRefusal(asMessage, s.account, scheduler.now(), s.localTag);
            if (refused.isPresent()) {
                int status = refused.get().status();
                throw new MessageRefused(status == 413 || status == 415 ? status : 403, refused.get().reason());
            }
            if (group) {
                groups.fromSession(s.room, s.aor, in);
                return;
            }
            String text = baseType(in.contentType()).equals("text/plain")
                    ? new String(in.body(), StandardCharsets.UTF_8) : "";
            if (in.to().isEmpty() && PagerCommand.isCommand(text)) {
                command(PagerCommand.parse(text), s.room, s.aor);
                return;
            }
            Rooms.Posted posted = in.to().isPresent() ? rooms.privately(s.room, s.aor, in.to().get())
                    : rooms.post(s.room, s.aor, in.contentType(), in.body());
            fanout.message(posted, in.contentType(), in.body());
        } catch (RoomException e) {
            throw new MessageRefused(e.kind() == RoomException.Kind.BAD_REQUEST ? 400 : 403, reason(e.getMessage()));
        }
    }

    /**
     * The session is over: a member it made leaves, unless another of their sessions is still in —
     * which then holds the membership in its place.
     */
    @Override
    public void ended(FocusSessions.Session s) {
        if (!s.joinedBySession) {
            return;
        }
        List<FocusSessions.Session> others = sessions.of(s.room, s.aor);
        if (!others.isEmpty()) {
            others.forEach(o -> o.joinedBySession = true);
            return;
        }
        rooms.find(s.room).filter(r -> r.member(s.aor).isPresent()).ifPresent(r -> {
            try {
                rooms.leave(s.room, s.aor);
            } catch (RoomException e) {
                // gone meanwhile (kicked, closed): nothing left to leave
            }
        });
    }

    // What pager members hear of others coming and going (MU-6); subscribers get conference-info too.

    @Override
    public void membership(ChatRoom room, Member member, Change change) {
        conference.membership(room, member, change);
        List<Member> others = room.members().stream().filter(m -> !m.aor().equals(member.aor())).toList();
        String shown = room.shown(member);
        switch (change) {
            case JOINED -> fanout.notice(room, others, shown + " joined");
            case LEFT -> fanout.notice(room, others, shown + " left");
            case KICKED, BANNED -> {
                String what = change == Change.KICKED ? "removed" : "banned";
                fanout.notice(room, others, shown + " was " + what + " by an administrator");
                fanout.notice(room, member.aor(), "You were " + what + " from " + room.config().subject());
            }
            case ROLE -> fanout.notice(room, room.members(), shown + (member.administrator()
                    ? " is an administrator" : " is no longer an administrator"));
            case RENAMED -> fanout.notice(room, others, "A member is now known as " + member.screenName());
        }
        if (change == Change.LEFT || change == Change.KICKED || change == Change.BANNED) {
            String why = change == Change.LEFT ? "You left the room"
                    : "You were " + (change == Change.KICKED ? "removed" : "banned") + " by an administrator";
            sessions.of(room.name(), member.aor()).forEach(s -> sessions.end(s, why));
        }
    }

    /** PP-30: the invitee hears at once who invites them (unless hidden) to which room, and until when. */
    @Override
    public void invitation(ChatRoom room, Invitation i, boolean withdrawn) {
        fanout.notice(room, i.invitee(), withdrawn ? "The invitation to " + room.config().subject() + " was withdrawn"
                : i.shownInviter() + " invites you to " + room.config().subject() + " (" + room.uri()
                + "). Answer #accept or #decline to that address before " + i.expires() + ".");
    }

    @Override
    public void configured(ChatRoom room) {
        conference.configured(room);
        fanout.notice(room, room.members(), "Room settings: " + describe(room.config()));
    }

    @Override
    public void closed(ChatRoom room, List<Member> former) {
        conference.closed(room);
        fanout.notice(room, former, "The room " + room.config().subject() + " was closed");
        sessions.of(room.name()).forEach(s -> sessions.end(s, "The room was closed"));
    }
}
