package org.parley.conference.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.parley.conference.ChatRoom;
import org.parley.conference.Invitation;
import org.parley.conference.Member;
import org.parley.conference.Role;
import org.parley.conference.RoomConfig;
import org.parley.conference.RoomException;
import org.parley.conference.RoomMessage;
import org.parley.conference.Rooms;
import org.parley.http.Json;
import org.parley.http.Problem;
import org.parley.http.ProblemException;
import org.parley.http.UserContext;

/**
 * Chat rooms for the authenticated user under {@code /api/v1} (the browser's door to what pager
 * commands do over SIP; same rules, same refusals):
 * <ul>
 *   <li>{@code GET /rooms}: the rooms I am in or invited to; {@code POST /rooms}: create one (PP-39);</li>
 *   <li>{@code GET /public-rooms}: the directory of public rooms (UC 5.17);</li>
 *   <li>{@code GET /rooms/{name}}, {@code PATCH /rooms/{name}} (administrators, PP-41),
 *       {@code DELETE /rooms/{name}}: close (administrators);</li>
 *   <li>{@code POST /rooms/{name}/members}: join (PP-27), the history in the answer;
 *       {@code DELETE /rooms/{name}/members/me}: leave (PP-28);
 *       {@code DELETE /rooms/{name}/members/{screenName}[?ban=true]}: kick or ban;
 *       {@code PATCH /rooms/{name}/members/{screenName}} {@code {"role"}}: give or take administrator
 *       rights (PP-26, PP-40);</li>
 *   <li>{@code DELETE /rooms/{name}/bans/{user}}: lift a ban (administrators, PP-40);</li>
 *   <li>{@code POST /rooms/{name}/invitations}, {@code DELETE /rooms/{name}/invitations/{user}}: invite,
 *       cancel (the inviter) or decline (the invitee); {@code GET /rooms/{name}/invitations}: the open ones
 *       (administrators); {@code GET /me/invitations} (PP-30);</li>
 *   <li>{@code GET /rooms/{name}/history}: the room's recent messages (members).</li>
 * </ul>
 */
public final class RoomsResource implements HttpService {
    private final Rooms rooms;
    private final String domain;
    private final Function<String, Optional<String>> accountAor;

    public RoomsResource(Rooms rooms, String domain, Function<String, Optional<String>> accountAor) {
        this.rooms = rooms;
        this.domain = domain;
        this.accountAor = accountAor;
    }

    /** A new room; absent settings take the operator's defaults. */
    record NewRoom(String name, String subject, String topic, Integer maxMembers, Boolean locked,
                   @com.fasterxml.jackson.annotation.JsonProperty("public") Boolean publicRoom, Boolean adultOnly,
                   Integer historySize, String screenName) {
    }

    record RoomPatch(String subject, String topic, Integer maxMembers, Boolean locked,
                     @com.fasterxml.jackson.annotation.JsonProperty("public") Boolean publicRoom, Boolean adultOnly,
                     Integer historySize) {
        RoomConfig applyTo(RoomConfig c) {
            return new RoomConfig(subject == null ? c.subject() : subject, topic == null ? c.topic() : topic,
                    maxMembers == null ? c.maxMembers() : maxMembers, locked == null ? c.locked() : locked,
                    publicRoom == null ? c.publicRoom() : publicRoom, adultOnly == null ? c.adultOnly() : adultOnly,
                    historySize == null ? c.historySize() : historySize);
        }
    }

    record Join(String screenName) {
    }

    record RoleChange(String role) {
    }

    record NewInvitation(String user, Boolean hideInviter) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MemberView(String screenName, String uri, String role) {
        static MemberView of(ChatRoom room, Member m) {
            // UC 5.17: in a public room nobody's address is shown, only the screen name
            return new MemberView(m.screenName(), room.config().publicRoom() ? null : m.aor(),
                    m.role().name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A room as a viewer sees it: a member gets the member list and {@code you}, how the room
     * knows them (a public room's list has no addresses, so a client could not find itself there).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RoomView(String name, String uri, String subject, String topic, int maxMembers, boolean locked,
                    @com.fasterxml.jackson.annotation.JsonProperty("public") boolean publicRoom, boolean adultOnly,
                    int historySize, int memberCount, List<MemberView> members, MemberView you) {
        static RoomView of(ChatRoom r, Optional<Member> viewer) {
            RoomConfig c = r.config();
            List<Member> members = r.members();
            return new RoomView(r.name(), r.uri(), c.subject(), c.topic(), c.maxMembers(), c.locked(), c.publicRoom(),
                    c.adultOnly(), c.historySize(), members.size(),
                    viewer.map(v -> members.stream().map(m -> MemberView.of(r, m)).toList()).orElse(null),
                    viewer.map(v -> MemberView.of(r, v)).orElse(null));
        }

        static RoomView seenBy(ChatRoom r, String aor) {
            return of(r, r.member(aor));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MessageView(long sequence, String sender, String contentType, String text, String base64, String sentAt) {
        static MessageView of(RoomMessage m) {
            boolean text = m.contentType().toLowerCase(Locale.ROOT).startsWith("text/");
            return new MessageView(m.sequence(), m.sender(), m.contentType(),
                    text ? new String(m.body(), StandardCharsets.UTF_8) : null,
                    text ? null : Base64.getEncoder().encodeToString(m.body()), m.at().toString());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InvitationView(String room, String roomUri, String subject, String invitee, String inviter, String expires) {
        static InvitationView of(ChatRoom room, Invitation i) {
            return new InvitationView(room.name(), room.uri(), room.config().subject(), i.invitee(),
                    i.hideInviter() ? null : i.inviter(), i.expires().toString());
        }
    }

    record JoinView(RoomView room, MemberView member, List<MessageView> history) {
    }

    record RoomList(List<RoomView> rooms) {
    }

    record Invitations(List<InvitationView> invitations) {
    }

    record History(List<MessageView> messages) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/rooms", guarded(this::mine))
                .post("/rooms", guarded(this::create))
                .get("/public-rooms", guarded(this::directory))
                .get("/me/invitations", guarded(this::invitations))
                .get("/rooms/{name}", guarded(this::get))
                .patch("/rooms/{name}", guarded(this::configure))
                .delete("/rooms/{name}", guarded(this::close))
                .post("/rooms/{name}/members", guarded(this::join))
                .delete("/rooms/{name}/members/{member}", guarded(this::remove))
                .patch("/rooms/{name}/members/{member}", guarded(this::role))
                .delete("/rooms/{name}/bans/{user}", guarded(this::unban))
                .get("/rooms/{name}/invitations", guarded(this::roomInvitations))
                .post("/rooms/{name}/invitations", guarded(this::invite))
                .delete("/rooms/{name}/invitations/{user}", guarded(this::uninvite))
                .get("/rooms/{name}/history", guarded(this::history));
    }

    private void mine(ServerRequest req, ServerResponse res) {
        String me = me(req);
        Json.send(res, 200, new RoomList(rooms.roomsOf(me).stream()
                .map(r -> RoomView.seenBy(r, me)).toList()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        NewRoom b = Json.read(req, NewRoom.class);
        if (b.name() == null) {
            throw ProblemException.badRequest("'name' is the room's name in its URI");
        }
        RoomConfig d = rooms.defaults(b.name(), Boolean.TRUE.equals(b.publicRoom()));
        RoomConfig config = new RoomConfig(b.subject() == null ? d.subject() : b.subject(),
                b.topic() == null ? d.topic() : b.topic(), b.maxMembers() == null ? d.maxMembers() : b.maxMembers(),
                Boolean.TRUE.equals(b.locked()), d.publicRoom(), Boolean.TRUE.equals(b.adultOnly()),
                b.historySize() == null ? d.historySize() : b.historySize());
        ChatRoom room = rooms.create(me(req), b.name(), config, Optional.ofNullable(b.screenName()));
        res.header("Location", "/api/v1/rooms/" + room.name());
        Json.send(res, 201, RoomView.seenBy(room, me(req)));
    }

    private void directory(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new RoomList(rooms.directory().stream().map(r -> RoomView.of(r, Optional.empty())).toList()));
    }

    private void invitations(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new Invitations(rooms.invitationsFor(me(req)).stream()
                .map(i -> InvitationView.of(rooms.room(i.room()), i)).toList()));
    }

    /** Members see the member list; others see a public room's description only. */
    private void get(ServerRequest req, ServerResponse res) {
        ChatRoom room = rooms.room(param(req, "name"));
        Optional<Member> member = room.member(me(req));
        if (member.isEmpty() && !room.config().publicRoom() && room.invitation(me(req)).isEmpty()) {
            throw ProblemException.forbidden("You are not a member of this room");
        }
        Json.send(res, 200, RoomView.of(room, member));
    }

    private void configure(ServerRequest req, ServerResponse res) {
        RoomPatch patch = Json.read(req, RoomPatch.class);
        Json.send(res, 200, RoomView.seenBy(rooms.configure(param(req, "name"), me(req), patch::applyTo), me(req)));
    }

    private void close(ServerRequest req, ServerResponse res) {
        rooms.close(param(req, "name"), me(req));
        res.status(204).send();
    }

    private void join(ServerRequest req, ServerResponse res) {
        Join b = req.content().hasEntity() ? Json.read(req, Join.class) : new Join(null);
        Rooms.Joined j = rooms.join(param(req, "name"), me(req), Optional.ofNullable(b.screenName()));
        Json.send(res, 200, new JoinView(RoomView.of(j.room(), Optional.of(j.member())), MemberView.of(j.room(), j.member()),
                j.history().stream().map(MessageView::of).toList()));
    }

    private void remove(ServerRequest req, ServerResponse res) {
        String name = param(req, "name");
        String member = param(req, "member");
        if (member.equals("me")) {
            rooms.leave(name, me(req));
        } else if (req.query().first("ban").map("true"::equalsIgnoreCase).orElse(false)) {
            rooms.ban(name, me(req), member);
        } else {
            rooms.kick(name, me(req), member);
        }
        res.status(204).send();
    }

    private void role(ServerRequest req, ServerResponse res) {
        RoleChange b = Json.read(req, RoleChange.class);
        Role role = switch (b.role() == null ? "" : b.role()) {
            case "administrator" -> Role.ADMINISTRATOR;
            case "member" -> Role.MEMBER;
            default -> throw ProblemException.badRequest("'role' is administrator or member");
        };
        ChatRoom room = rooms.room(param(req, "name"));
        Json.send(res, 200, MemberView.of(room, rooms.role(room.name(), me(req), param(req, "member"), role)));
    }

    /** A ban is on the account (never on a screen name), so it is lifted by naming the user. */
    private void unban(ServerRequest req, ServerResponse res) {
        rooms.unban(param(req, "name"), me(req), account(param(req, "user")));
        res.status(204).send();
    }

    private void roomInvitations(ServerRequest req, ServerResponse res) {
        ChatRoom room = rooms.room(param(req, "name"));
        Json.send(res, 200, new Invitations(rooms.invitationsOf(room.name(), me(req)).stream()
                .map(i -> InvitationView.of(room, i)).toList()));
    }

    private void invite(ServerRequest req, ServerResponse res) {
        NewInvitation b = Json.read(req, NewInvitation.class);
        if (b.user() == null) {
            throw ProblemException.badRequest("'user' names who is invited: user name, alias, number or address");
        }
        String invitee = account(b.user());
        ChatRoom room = rooms.room(param(req, "name"));
        Json.send(res, 201, InvitationView.of(room, rooms.invite(room.name(), me(req), invitee,
                Boolean.TRUE.equals(b.hideInviter()))));
    }

    /** The invitee declines; anyone else (the inviter, an administrator) cancels. */
    private void uninvite(ServerRequest req, ServerResponse res) {
        String name = param(req, "name");
        String invitee = account(param(req, "user"));
        if (invitee.equals(me(req))) {
            rooms.decline(name, invitee);
        } else {
            rooms.cancel(name, me(req), invitee);
        }
        res.status(204).send();
    }

    private void history(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new History(rooms.history(param(req, "name"), me(req)).stream()
                .map(MessageView::of).toList()));
    }

    private String account(String who) {
        return accountAor.apply(who.strip())
                .orElseThrow(() -> ProblemException.notFound("No user " + who));
    }

    private String me(ServerRequest req) {
        return "sip:" + UserContext.username(req) + "@" + domain;
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    /** The rooms' refusals become problem documents. */
    private static Handler guarded(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (RoomException e) {
                throw switch (e.kind()) {
                    case BAD_REQUEST -> ProblemException.badRequest(e.getMessage());
                    case NOT_FOUND -> ProblemException.notFound(e.getMessage());
                    case FORBIDDEN, DISABLED -> ProblemException.forbidden(e.getMessage());
                    case CONFLICT -> new ProblemException(new Problem("urn:parley:problem:conflict", "Conflict", 409,
                            e.getMessage(), null));
                };
            }
        };
    }
}
