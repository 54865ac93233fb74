package org.parley.conference;

import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.parley.conference.RoomEvents.Change;
import org.parley.conference.RoomException.Kind;

/**
 * The chat rooms of this focus and everything done to them, whoever asks (a pager command, the
 * REST API, later a session): who may do what (PP-26..PP-41, UC 5.9, UC 5.17), written to the
 * store before it takes effect, and told to {@link RoomEvents}. Members are accounts, named by
 * their address of record; the callers have authenticated them.
 */
public final class Rooms {
    /** A member's entry into a room, with the recent messages it gets (the room's history). */
    public record Joined(ChatRoom room, Member member, List<RoomMessage> history) {
    }

    /** A message accepted for a room: who it goes to and how the sender is shown. */
    public record Posted(ChatRoom room, Member sender, List<Member> recipients, String shownSender, boolean isPrivate) {
    }

    /** UC 5.17: the refusal of a private conversation out of a public room; it names nobody. */
    public static final String NO_PRIVATE_CONTACT = "Members of public rooms cannot be contacted privately here "
            + "(the operator's rule)";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConferenceSettings settings;
    private final RoomAddresses addresses;
    private final RoomStore store;
    private final Profiles profiles;
    private final InstantSource clock;
    private final Map<String, ChatRoom> rooms = new ConcurrentHashMap<>();
    private volatile RoomEvents events;

    public Rooms(ConferenceSettings settings, RoomAddresses addresses, RoomStore store, Profiles profiles,
                 InstantSource clock) {
        this.settings = settings;
        this.addresses = addresses;
        this.store = store;
        this.profiles = profiles;
        this.clock = clock;
        for (RoomStore.Stored s : store.loadAll()) {
            ChatRoom room = new ChatRoom(s.name(), addresses.uriOf(s.name()), s.creator(), s.created(), s.config());
            s.members().forEach(room::put);
            s.bans().forEach(room::ban);
            s.invitations().forEach(room::invite);
            s.history().forEach(room::remember);
            rooms.put(s.name(), room);
        }
    }

    /** Who hears of what happens (set once the SIP side is up). */
    public void events(RoomEvents listener) {
        this.events = listener;
    }

    public RoomAddresses addresses() {
        return addresses;
    }

    /** PP-39: a new room; its creator is its first member and administrator. */
    public ChatRoom create(String creator, String name, RoomConfig config, Optional<String> screenName) {
        if (!RoomAddresses.validName(name)) {
            throw new RoomException(Kind.BAD_REQUEST, "A room name is 1-32 lower-case letters, digits and '-', "
                    + "starting with a letter or digit");
        }
        if (RoomAddresses.adHoc(name)) {
            throw new RoomException(Kind.BAD_REQUEST, "Room names starting with " + RoomAddresses.AD_HOC
                    + " are kept for ad-hoc chats");
        }
        return make(creator, name, config, screenName);
    }

    /**
     * GIM-4, UC 5.4: an ad-hoc room for a chat started with a URI list, named by the focus; locked
     * (only those invited join), and closed when its last member leaves.
     */
    public ChatRoom createAdHoc(String creator, String subject) {
        String name = RoomAddresses.AD_HOC + HexFormat.of().toHexDigits(RANDOM.nextInt());
        RoomConfig d = defaults(name, false);
        return make(creator, name, new RoomConfig(subject, "", d.maxMembers(), true, false, false, d.historySize()),
                Optional.empty());
    }

    private ChatRoom make(String creator, String name, RoomConfig config, Optional<String> screenName) {
        RoomConfig c = withinPolicy(config);
        synchronized (rooms) {
            if (rooms.containsKey(name)) {
                throw new RoomException(Kind.CONFLICT, "The room " + name + " exists already");
            }
            long mine = rooms.values().stream().filter(r -> r.creator().equals(creator)).count();
            if (mine >= settings.roomsPerUser()) {
                throw new RoomException(Kind.FORBIDDEN, "You have " + mine + " rooms open, the most allowed");
            }
            Instant now = clock.instant();
            ChatRoom room = new ChatRoom(name, addresses.uriOf(name), creator, now, c);
            checkAge(room, creator);
            Member admin = new Member(creator, screenName(room, creator, screenName), Role.ADMINISTRATOR, now);
            store.create(name, creator, now, c, admin);
            room.put(admin);
            rooms.put(name, room);
            return room;
        }
    }

    public Optional<ChatRoom> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    public ChatRoom room(String name) {
        return find(name).orElseThrow(() -> new RoomException(Kind.NOT_FOUND, "No room " + name));
    }

    /** UC 5.17: the public rooms, by name; none when the operator switched public chat off. */
    public List<ChatRoom> directory() {
        if (!settings.publicChat()) {
            throw new RoomException(Kind.DISABLED, "Public chat is switched off by the operator");
        }
        return rooms.values().stream().filter(r -> r.config().publicRoom())
                .sorted(Comparator.comparing(ChatRoom::name)).toList();
    }

    /** The rooms the account is a member of or invited to. */
    public List<ChatRoom> roomsOf(String aor) {
        return rooms.values().stream()
                .filter(r -> r.member(aor).isPresent() || r.invitation(aor).isPresent())
                .sorted(Comparator.comparing(ChatRoom::name)).toList();
    }

    /**
     * PP-27: joins the room (an open one, or any with a valid invitation); a member who joins
     * again may take a new screen name. Refused for a banned account whatever name it gives.
     */
    public Joined join(String name, String aor, Optional<String> screenName) {
        ChatRoom room = room(name);
        Member member;
        boolean renamed;
        synchronized (room) {
            open(room);
            if (room.banned(aor)) {
                throw new RoomException(Kind.FORBIDDEN, "You are banned from this room");
            }
            Optional<Member> already = room.member(aor);
            Optional<Invitation> invited = room.invitation(aor).filter(i -> !i.expired(clock.instant()));
            if (already.isEmpty()) {
                if (room.config().locked() && invited.isEmpty()) {
                    throw new RoomException(Kind.FORBIDDEN, "The room is locked: you need an invitation");
                }
                if (room.members().size() >= room.config().maxMembers()) {
                    throw new RoomException(Kind.CONFLICT,
                            "The room is full (" + room.config().maxMembers() + " members)");
                }
                checkAge(room, aor);
            }
            if (already.isPresent() && screenName.isEmpty()) {
                return new Joined(room, already.get(), room.history());
            }
            String screen = screenName(room, aor, screenName);
            member = already.map(m -> new Member(aor, screen, m.role(), m.joined()))
                    .orElseGet(() -> new Member(aor, screen, Role.MEMBER, clock.instant()));
            store.putMember(name, member);
            room.uninvite(aor);
            room.put(member);
            renamed = already.isPresent();
        }
        tell(room, member, renamed ? Change.RENAMED : Change.JOINED);
        return new Joined(room, member, room.history());
    }

    /** PP-28: leaves the room. The last administrator leaving hands the role to the longest member. */
    public Member leave(String name, String aor) {
        ChatRoom room = room(name);
        Member gone;
        Optional<Member> heir = Optional.empty();
        synchronized (room) {
            gone = memberOf(room, aor);
            store.removeMember(name, aor);
            room.remove(aor);
            if (gone.administrator() && room.members().stream().noneMatch(Member::administrator)) {
                heir = room.members().stream().findFirst().map(m -> m.withRole(Role.ADMINISTRATOR));
                heir.ifPresent(h -> {
                    store.putMember(name, h);
                    room.put(h);
                });
            }
        }
        tell(room, gone, Change.LEFT);
        heir.ifPresent(h -> tell(room, h, Change.ROLE));
        if (RoomAddresses.adHoc(name)) {
            closeIfEmpty(room);
        }
        return gone;
    }

    /** PP-30: an administrator invites an account; the invitation waits until answered, cancelled or expired. */
    public Invitation invite(String name, String inviter, String invitee, boolean hideInviter) {
        ChatRoom room = room(name);
        Invitation i;
        synchronized (room) {
            open(room);
            if (RoomAddresses.adHoc(name)) {
                memberOf(room, inviter); // UC 5.4: every participant of an ad-hoc chat may add others
            } else {
                administrator(room, inviter);
            }
            if (room.banned(invitee)) {
                throw new RoomException(Kind.FORBIDDEN, "That user is banned from this room");
            }
            if (room.member(invitee).isPresent()) {
                throw new RoomException(Kind.CONFLICT, "That user is a member already");
            }
            i = new Invitation(name, invitee, inviter, hideInviter,
                    clock.instant().plus(settings.invitationLifetime()));
            store.putInvitation(i);
            room.invite(i);
        }
        RoomEvents e = events;
        if (e != null) {
            e.invitation(room, i, false);
        }
        return i;
    }

    /** PP-30: the inviter (or another administrator) takes an invitation back. */
    public Invitation cancel(String name, String by, String invitee) {
        ChatRoom room = room(name);
        Invitation i;
        synchronized (room) {
            i = room.invitation(invitee)
                    .orElseThrow(() -> new RoomException(Kind.NOT_FOUND, "No invitation for " + invitee));
            if (!i.inviter().equals(by)) {
                administrator(room, by);
            }
            store.removeInvitation(name, invitee);
            room.uninvite(invitee);
        }
        RoomEvents e = events;
        if (e != null) {
            e.invitation(room, i, true);
        }
        return i;
    }

    /** The invitee says no. */
    public Invitation decline(String name, String invitee) {
        ChatRoom room = room(name);
        synchronized (room) {
            Invitation i = validInvitation(room, invitee);
            store.removeInvitation(name, invitee);
            room.uninvite(invitee);
            return i;
        }
    }

    /** The invitations waiting for an account, expired ones left out. */
    public List<Invitation> invitationsFor(String aor) {
        Instant now = clock.instant();
        List<Invitation> mine = new ArrayList<>();
        for (ChatRoom r : rooms.values()) {
            r.invitation(aor).filter(i -> !i.expired(now)).ifPresent(mine::add);
        }
        mine.sort(Comparator.comparing(Invitation::room));
        return mine;
    }

    /** PP-30: the invitations of a room still waiting for an answer, for its administrators to cancel. */
    public List<Invitation> invitationsOf(String name, String admin) {
        ChatRoom room = room(name);
        administrator(room, admin);
        Instant now = clock.instant();
        return room.invitations().stream().filter(i -> !i.expired(now)).toList();
    }

    /** PP-40: an administrator removes a member, who may join again. */
    public Member kick(String name, String admin, String who) {
        ChatRoom room = room(name);
        Member target;
        synchronized (room) {
            administrator(room, admin);
            target = target(room, who);
            store.removeMember(name, target.aor());
            room.remove(target.aor());
        }
        tell(room, target, Change.KICKED);
        return target;
    }

    /** PP-40, UC 5.17 (rogue users): an administrator removes a member's account for good. */
    public Member ban(String name, String admin, String who) {
        ChatRoom room = room(name);
        Member target;
        synchronized (room) {
            administrator(room, admin);
            target = target(room, who);
            store.ban(name, target.aor());
            room.ban(target.aor());
        }
        tell(room, target, Change.BANNED);
        return target;
    }

    public void unban(String name, String admin, String aor) {
        ChatRoom room = room(name);
        synchronized (room) {
            administrator(room, admin);
            if (!room.banned(aor)) {
                throw new RoomException(Kind.NOT_FOUND, aor + " is not banned here");
            }
            store.unban(name, aor);
            room.unban(aor);
        }
    }

    /** PP-26: an administrator gives or takes administrator rights; the last administrator keeps them. */
    public Member role(String name, String admin, String who, Role role) {
        ChatRoom room = room(name);
        Member changed;
        synchronized (room) {
            administrator(room, admin);
            Member target = target(room, who);
            if (role == Role.MEMBER && target.administrator()
                    && room.members().stream().filter(Member::administrator).count() == 1) {
                throw new RoomException(Kind.CONFLICT, "A room keeps at least one administrator");
            }
            changed = target.withRole(role);
            store.putMember(name, changed);
            room.put(changed);
        }
        tell(room, changed, Change.ROLE);
        return changed;
    }

    /** PP-41: an administrator sets name, topic, maximum, lock, public, adult-only, history size. */
    public ChatRoom configure(String name, String admin, UnaryOperator<RoomConfig> change) {
        ChatRoom room = room(name);
        synchronized (room) {
            open(room);
            administrator(room, admin);
            RoomConfig c = withinPolicy(change.apply(room.config()));
            if (c.maxMembers() < room.members().size()) {
                throw new RoomException(Kind.CONFLICT, "The room has " + room.members().size() + " members already");
            }
            store.configure(name, c);
            room.configure(c);
        }
        RoomEvents e = events;
        if (e != null) {
            e.configured(room);
        }
        return room;
    }

    /** PP-41: an administrator closes the room: it and its history are gone. */
    public List<Member> close(String name, String admin) {
        ChatRoom room = room(name);
        List<Member> former;
        synchronized (room) {
            administrator(room, admin);
            former = room.members();
            store.delete(name);
            room.close();
            rooms.remove(name);
        }
        RoomEvents e = events;
        if (e != null) {
            e.closed(room, former);
        }
        return former;
    }

    /** An ad-hoc room is temporary (UC 5.4): it goes with its last member. */
    private void closeIfEmpty(ChatRoom room) {
        synchronized (room) {
            if (!room.members().isEmpty() || room.closed()) {
                return;
            }
            store.delete(room.name());
            room.close();
            rooms.remove(room.name());
        }
        RoomEvents e = events;
        if (e != null) {
            e.closed(room, List.of());
        }
    }

    /**
     * PP-29, PP-31, PP-32: a member's message to all the others, kept in the history. Only
     * members may send; the caller applies the operator's message limits first.
     */
    public Posted post(String name, String sender, String contentType, byte[] body) {
        ChatRoom room = room(name);
        synchronized (room) {
            open(room);
            Member from = memberOf(room, sender);
            String shown = room.shown(from);
            if (room.config().historySize() > 0) {
                Instant at = clock.instant();
                long seq = store.append(name, shown, contentType, body, at, room.config().historySize());
                room.remember(new RoomMessage(seq, shown, contentType, body, at));
            }
            List<Member> others = room.members().stream().filter(m -> !m.aor().equals(sender)).toList();
            return new Posted(room, from, others, shown, false);
        }
    }

    /** PP-33, PP-34: a message to one member only, not kept in the history. */
    public Posted privately(String name, String sender, String to) {
        ChatRoom room = room(name);
        synchronized (room) {
            open(room);
            Member from = memberOf(room, sender);
            if (room.config().publicRoom() && !settings.privateContact()) {
                throw new RoomException(Kind.FORBIDDEN, NO_PRIVATE_CONTACT);
            }
            Member target = target(room, to);
            return new Posted(room, from, List.of(target), room.shown(from) + " [private]", true);
        }
    }

    /** The history a member may read. */
    public List<RoomMessage> history(String name, String aor) {
        ChatRoom room = room(name);
        memberOf(room, aor);
        return room.history();
    }

    /** An account was deleted: it leaves every room it was in; its invitations and bans go. */
    public void forget(String aor) {
        for (ChatRoom room : List.copyOf(rooms.values())) {
            if (room.member(aor).isPresent()) {
                leave(room.name(), aor);
            }
            synchronized (room) {
                room.uninvite(aor);
                room.unban(aor);
            }
        }
        store.forget(aor);
    }

    private RoomConfig withinPolicy(RoomConfig c) {
        if (c.publicRoom() && !settings.publicChat()) {
            throw new RoomException(Kind.DISABLED, "Public chat is switched off by the operator");
        }
        if (c.maxMembers() > settings.maxMembers()) {
            throw new RoomException(Kind.BAD_REQUEST, "A room may have at most " + settings.maxMembers() + " members");
        }
        if (c.historySize() > settings.maxHistory()) {
            throw new RoomException(Kind.BAD_REQUEST, "A room may keep at most " + settings.maxHistory() + " messages");
        }
        return c;
    }

    /** The settings a new room gets when its creator says nothing else. */
    public RoomConfig defaults(String name, boolean publicRoom) {
        return new RoomConfig(name, "", settings.maxMembers(), false, publicRoom, false, settings.defaultHistory());
    }

    private void open(ChatRoom room) {
        if (room.closed()) {
            throw new RoomException(Kind.NOT_FOUND, "The room " + room.name() + " is closed");
        }
        if (room.config().publicRoom() && !settings.publicChat()) {
            throw new RoomException(Kind.DISABLED, "Public chat is switched off by the operator");
        }
    }

    private static Member memberOf(ChatRoom room, String aor) {
        return room.member(aor).orElseThrow(() -> new RoomException(Kind.FORBIDDEN,
                "You are not a member of this room"));
    }

    private static void administrator(ChatRoom room, String aor) {
        if (!memberOf(room, aor).administrator()) {
            throw new RoomException(Kind.FORBIDDEN, "Only an administrator of the room may do that");
        }
    }

    private static Member target(ChatRoom room, String who) {
        return room.find(who)
                .orElseThrow(() -> new RoomException(Kind.NOT_FOUND, "No member " + who + " in this room"));
    }

    private Invitation validInvitation(ChatRoom room, String invitee) {
        return room.invitation(invitee).filter(i -> !i.expired(clock.instant()))
                .orElseThrow(() -> new RoomException(Kind.NOT_FOUND, "No invitation to " + room.name()));
    }

    /** UC 5.17: minors are kept out of adult-only rooms; no birth date in the profile counts as a minor. */
    private void checkAge(ChatRoom room, String aor) {
        if (!room.config().adultOnly()) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean adult = profiles.birthDate(aor).map(b -> Period.between(b, today).getYears() >= settings.adultAge())
                .orElse(false);
        if (!adult) {
            throw new RoomException(Kind.FORBIDDEN, "This room is for adults only (" + settings.adultAge()
                    + "+, by the birth date of your profile)");
        }
    }

    /**
     * The screen name asked for, else the profile's display name, else (outside public rooms,
     * where the address is shown anyway) the user part of the address; a taken one is refused
     * with a free one suggested (UC 5.17).
     */
    private String screenName(ChatRoom room, String aor, Optional<String> asked) {
        Optional<String> name = asked.map(String::strip);
        if (name.isPresent() && !ScreenNames.valid(name.get())) {
            throw new RoomException(Kind.BAD_REQUEST, "A screen name is 1-32 letters, digits, '.', '_' or '-'");
        }
        if (name.isEmpty()) {
            name = profiles.displayName(aor).flatMap(ScreenNames::fromDisplayName);
        }
        if (name.isEmpty() && room.config().publicRoom()) {
            throw new RoomException(Kind.BAD_REQUEST, "A public room needs a screen name (your profile has no "
                    + "display name): join with one");
        }
        String screen = name.orElseGet(() -> userPart(aor));
        if (room.screenNameTaken(screen, aor)) {
            if (asked.isPresent()) {
                throw new RoomException(Kind.CONFLICT, "The screen name " + screen + " is taken; "
                        + ScreenNames.suggest(screen, s -> room.screenNameTaken(s, aor)) + " is free");
            }
            screen = ScreenNames.suggest(screen, s -> room.screenNameTaken(s, aor));
        }
        return screen;
    }

    private static String userPart(String aor) {
        int colon = aor.indexOf(':');
        int at = aor.indexOf('@');
        return at > colon ? aor.substring(colon + 1, at) : aor;
    }

    private void tell(ChatRoom room, Member member, Change change) {
        RoomEvents e = events;
        if (e != null) {
            e.membership(room, member, change);
        }
    }
}
