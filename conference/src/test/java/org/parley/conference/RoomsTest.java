package org.parley.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.conference.RoomException.Kind;
import org.parley.conference.store.JdbiRoomStore;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;

/** The rules of rooms, whoever asks (pager command, REST), on a real store and a manual clock. */
@DisplayName("Chat rooms: roles, join/leave, invitations, moderation, public chat, history (PP-26..PP-41, UC 5.9, UC 5.17, MU-6)")
class RoomsTest {
    private static final String ALICE = "sip:alice@example.org";
    private static final String BOB = "sip:bob@example.org";
    private static final String CAROL = "sip:carol@example.org";
    private static final String DAVE = "sip:dave@example.org";

    private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-06-01T12:00:00Z"));
    private final List<String> events = new ArrayList<>();
    private final Map<String, String> displayNames = Map.of(BOB, "Bob Builder");
    private final Map<String, LocalDate> births = Map.of(ALICE, LocalDate.parse("1990-01-01"),
            BOB, LocalDate.parse("2010-01-01"));
    private DatabaseTarget target;
    private Database db;
    private Rooms rooms;

    @BeforeEach
    void open() {
        target = TestDatabases.h2();
        db = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        rooms = rooms(ConferenceSettings.defaults());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Rooms rooms(ConferenceSettings settings) {
        Profiles profiles = new Profiles() {
            @Override
            public Optional<String> displayName(String aor) {
                return Optional.ofNullable(displayNames.get(aor));
            }

            @Override
            public Optional<LocalDate> birthDate(String aor) {
                return Optional.ofNullable(births.get(aor));
            }
        };
        Rooms r = new Rooms(settings, new RoomAddresses("groups.example.org"), new JdbiRoomStore(db), profiles, clock);
        r.events(new RoomEvents() {
            @Override
            public void membership(ChatRoom room, Member member, Change change) {
                events.add(change + " " + member.screenName());
            }

            @Override
            public void invitation(ChatRoom room, Invitation invitation, boolean withdrawn) {
                events.add((withdrawn ? "UNINVITED " : "INVITED ") + invitation.invitee());
            }

            @Override
            public void configured(ChatRoom room) {
                events.add("CONFIGURED");
            }

            @Override
            public void closed(ChatRoom room, List<Member> former) {
                events.add("CLOSED " + former.size());
            }
        });
        return r;
    }

    private ChatRoom lobby(boolean publicRoom) {
        return rooms.create(ALICE, "lobby", rooms.defaults("lobby", publicRoom), Optional.of("alice"));
    }

    private static Kind kindOf(Runnable r) {
        try {
            r.run();
        } catch (RoomException e) {
            return e.kind();
        }
        throw new AssertionError("no refusal");
    }

    @Test
    @DisplayName("PP-39: the creator is the administrator; the room's URI is in the groups domain; a name is taken once")
    void create() {
        ChatRoom room = lobby(false);
        assertThat(room.uri()).isEqualTo("sip:room_lobby@groups.example.org");
        assertThat(room.member(ALICE)).hasValueSatisfying(m -> assertThat(m.role()).isEqualTo(Role.ADMINISTRATOR));
        assertThat(kindOf(() -> rooms.create(BOB, "lobby", rooms.defaults("lobby", false), Optional.empty())))
                .isEqualTo(Kind.CONFLICT);
        assertThat(kindOf(() -> rooms.create(BOB, "Bad_Name", rooms.defaults("x", false), Optional.empty())))
                .isEqualTo(Kind.BAD_REQUEST);
    }

    @Test
    @DisplayName("PP-27, PP-28, MU-6, UC 5.9: join and leave; the others hear of both; members have limited privileges")
    void joinAndLeave() {
        lobby(false);
        Rooms.Joined bob = rooms.join("lobby", BOB, Optional.empty());
        assertThat(bob.member().role()).isEqualTo(Role.MEMBER);
        assertThat(bob.member().screenName()).as("the profile's display name").isEqualTo("Bob_Builder");
        assertThat(rooms.join("lobby", CAROL, Optional.empty()).member().screenName()).as("the user part").isEqualTo("carol");
        assertThat(kindOf(() -> rooms.kick("lobby", BOB, "carol"))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.invite("lobby", BOB, DAVE, false))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.configure("lobby", BOB, c -> c))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.close("lobby", BOB))).isEqualTo(Kind.FORBIDDEN);
        rooms.leave("lobby", CAROL);
        assertThat(events).containsExactly("JOINED Bob_Builder", "JOINED carol", "LEFT carol");
        assertThat(kindOf(() -> rooms.leave("lobby", CAROL))).isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    @DisplayName("PP-29, PP-33, PP-34: a message goes to all others, a private one to one member only")
    void messages() {
        lobby(false);
        rooms.join("lobby", BOB, Optional.of("bob"));
        rooms.join("lobby", CAROL, Optional.empty());
        Rooms.Posted all = rooms.post("lobby", ALICE, "text/plain", "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(all.recipients()).extracting(Member::aor).containsExactly(BOB, CAROL);
        assertThat(all.shownSender()).isEqualTo("alice (" + ALICE + ")");
        Rooms.Posted one = rooms.privately("lobby", BOB, "carol");
        assertThat(one.recipients()).extracting(Member::aor).containsExactly(CAROL);
        assertThat(one.shownSender()).endsWith("[private]");
        assertThat(kindOf(() -> rooms.post("lobby", DAVE, "text/plain", new byte[0]))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.privately("lobby", BOB, "nobody"))).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    @DisplayName("PP-30: an invitation opens a locked room, waits, can be cancelled, expires; administrators list the open ones")
    void invitations() {
        lobby(false);
        rooms.configure("lobby", ALICE, c -> new RoomConfig(c.subject(), c.topic(), c.maxMembers(), true, false, false,
                c.historySize()));
        assertThat(kindOf(() -> rooms.join("lobby", BOB, Optional.empty()))).isEqualTo(Kind.FORBIDDEN);
        Invitation i = rooms.invite("lobby", ALICE, BOB, true);
        assertThat(i.shownInviter()).isEqualTo("someone");
        assertThat(rooms.invitationsFor(BOB)).containsExactly(i);
        clock.advance(Duration.ofHours(23));
        assertThat(rooms.join("lobby", BOB, Optional.empty()).member().aor()).isEqualTo(BOB);
        assertThat(rooms.invitationsFor(BOB)).isEmpty();

        rooms.invite("lobby", ALICE, CAROL, false);
        rooms.cancel("lobby", ALICE, CAROL);
        assertThat(kindOf(() -> rooms.join("lobby", CAROL, Optional.empty()))).isEqualTo(Kind.FORBIDDEN);

        Invitation toDave = rooms.invite("lobby", ALICE, DAVE, false);
        assertThat(rooms.invitationsOf("lobby", ALICE)).as("the administrators' list").containsExactly(toDave);
        assertThat(kindOf(() -> rooms.invitationsOf("lobby", BOB))).as("a member's").isEqualTo(Kind.FORBIDDEN);
        clock.advance(Duration.ofDays(1));
        assertThat(rooms.invitationsFor(DAVE)).isEmpty();
        assertThat(rooms.invitationsOf("lobby", ALICE)).as("expired").isEmpty();
        assertThat(kindOf(() -> rooms.join("lobby", DAVE, Optional.empty()))).as("expired").isEqualTo(Kind.FORBIDDEN);
        assertThat(events).contains("INVITED " + BOB, "UNINVITED " + CAROL);
    }

    @Test
    @DisplayName("PP-40, UC 5.17: a banned account stays out whatever screen name it comes back with; a kicked one may return")
    void banAndKick() {
        lobby(true);
        rooms.join("lobby", BOB, Optional.of("bob"));
        rooms.join("lobby", CAROL, Optional.of("carol"));
        rooms.kick("lobby", ALICE, "carol");
        assertThat(rooms.join("lobby", CAROL, Optional.of("carol")).member().aor()).isEqualTo(CAROL);
        rooms.ban("lobby", ALICE, "bob");
        assertThat(kindOf(() -> rooms.join("lobby", BOB, Optional.of("totally-not-bob")))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.invite("lobby", ALICE, BOB, false))).isEqualTo(Kind.FORBIDDEN);
        rooms.unban("lobby", ALICE, BOB);
        rooms.join("lobby", BOB, Optional.of("bob"));
        assertThat(events).contains("KICKED carol", "BANNED bob");
    }

    @Test
    @DisplayName("PP-26: administrator rights are given and taken; the last administrator keeps them or hands them on by leaving")
    void roles() {
        lobby(false);
        rooms.join("lobby", BOB, Optional.of("bob"));
        assertThat(kindOf(() -> rooms.role("lobby", ALICE, "alice", Role.MEMBER))).isEqualTo(Kind.CONFLICT);
        rooms.role("lobby", ALICE, "bob", Role.ADMINISTRATOR);
        rooms.role("lobby", BOB, "alice", Role.MEMBER);
        assertThat(kindOf(() -> rooms.kick("lobby", ALICE, "bob"))).isEqualTo(Kind.FORBIDDEN);
        rooms.leave("lobby", BOB);
        assertThat(rooms.room("lobby").member(ALICE)).hasValueSatisfying(m -> assertThat(m.administrator()).isTrue());
    }

    @Test
    @DisplayName("PP-41: name, topic, maximum (not below the members there), close")
    void administration() {
        lobby(false);
        rooms.join("lobby", BOB, Optional.of("bob"));
        rooms.configure("lobby", ALICE, c -> new RoomConfig("Lobby!", "news", 2, false, false, false, 5));
        assertThat(rooms.room("lobby").config().topic()).isEqualTo("news");
        assertThat(kindOf(() -> rooms.join("lobby", CAROL, Optional.empty()))).as("full").isEqualTo(Kind.CONFLICT);
        assertThat(kindOf(() -> rooms.configure("lobby", ALICE, c -> new RoomConfig("x", "", 1, false, false, false, 5))))
                .isEqualTo(Kind.CONFLICT);
        assertThat(kindOf(() -> rooms.configure("lobby", ALICE, c -> new RoomConfig("x", "", 100_000, false, false,
                false, 5)))).as("above the operator's maximum").isEqualTo(Kind.BAD_REQUEST);
        rooms.close("lobby", ALICE);
        assertThat(rooms.find("lobby")).isEmpty();
        assertThat(events).contains("CLOSED 2");
    }

    @Test
    @DisplayName("UC 5.17: screen names are unique per room and a free one is suggested; public rooms need one")
    void screenNames() {
        lobby(true);
        assertThat(kindOf(() -> rooms.join("lobby", CAROL, Optional.empty()))).as("no profile name").isEqualTo(Kind.BAD_REQUEST);
        assertThatThrownBy(() -> rooms.join("lobby", CAROL, Optional.of("ALICE")))
                .isInstanceOfSatisfying(RoomException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("ALICE2 is free");
                });
        assertThat(kindOf(() -> rooms.join("lobby", CAROL, Optional.of("no spaces")))).isEqualTo(Kind.BAD_REQUEST);
        assertThat(rooms.join("lobby", CAROL, Optional.of("ALICE2")).member().screenName()).isEqualTo("ALICE2");
        assertThat(rooms.room("lobby").shown(rooms.room("lobby").member(CAROL).orElseThrow())).isEqualTo("ALICE2");
        assertThat(rooms.directory()).extracting(ChatRoom::name).containsExactly("lobby");
    }

    @Test
    @DisplayName("UC 5.17: adult-only rooms keep minors and those without a birth date out")
    void adultOnly() {
        rooms.create(ALICE, "late", new RoomConfig("late", "", 10, false, false, true, 5), Optional.empty());
        assertThat(kindOf(() -> rooms.join("late", BOB, Optional.empty()))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.join("late", CAROL, Optional.empty()))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kindOf(() -> rooms.create(BOB, "teen", new RoomConfig("t", "", 10, false, false, true, 5),
                Optional.empty()))).as("a minor cannot create one either").isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    @DisplayName("UC 5.17: the operator switches public chat off: no public room is made, listed or used")
    void publicChatOff() {
        lobby(true);
        rooms = rooms(ConferenceSettings.defaults().withPublicChat(false));
        assertThat(kindOf(() -> rooms.directory())).isEqualTo(Kind.DISABLED);
        assertThat(kindOf(() -> rooms.join("lobby", BOB, Optional.of("bob")))).isEqualTo(Kind.DISABLED);
        assertThat(kindOf(() -> rooms.create(BOB, "pub", rooms.defaults("pub", true), Optional.of("bob"))))
                .isEqualTo(Kind.DISABLED);
    }

    @Test
    @DisplayName("PP-38, PP-42: the room keeps its last N messages (room setting within the operator's), a joiner gets them; all after a restart")
    void historyAndRestart() {
        rooms.create(ALICE, "lobby", new RoomConfig("Lobby", "", 10, false, false, false, 3), Optional.of("alice"));
        rooms.join("lobby", BOB, Optional.of("bob"));
        rooms.ban("lobby", ALICE, "bob");
        for (int i = 1; i <= 5; i++) {
            rooms.post("lobby", ALICE, "text/plain", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        Rooms.Joined carol = rooms.join("lobby", CAROL, Optional.empty());
        assertThat(carol.history()).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                .containsExactly("m3", "m4", "m5");

        Rooms restarted = rooms(ConferenceSettings.defaults());
        ChatRoom room = restarted.room("lobby");
        assertThat(room.members()).extracting(Member::aor, Member::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ALICE, Role.ADMINISTRATOR),
                        org.assertj.core.groups.Tuple.tuple(CAROL, Role.MEMBER));
        assertThat(room.banned(BOB)).isTrue();
        assertThat(restarted.history("lobby", CAROL)).hasSize(3);
        restarted.configure("lobby", ALICE, c -> new RoomConfig(c.subject(), c.topic(), c.maxMembers(), false, false,
                false, 1));
        assertThat(restarted.history("lobby", CAROL)).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                .as("a smaller history at once").containsExactly("m5");
        assertThat(rooms(ConferenceSettings.defaults()).history("lobby", CAROL)).hasSize(1);
        assertThat(kindOf(() -> restarted.history("lobby", BOB))).isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    @DisplayName("GIM-4, UC 5.4: an ad-hoc room is named by the focus, locked, open to REFER/#invite by any member, and "
            + "goes with its last member; nobody else may take an ad-hoc name")
    void adHocRooms() {
        ChatRoom room = rooms.createAdHoc(ALICE, "Lunch");
        assertThat(room.name()).startsWith("adhoc-");
        assertThat(room.config().locked()).isTrue();
        assertThat(room.config().subject()).isEqualTo("Lunch");
        assertThat(kindOf(() -> rooms.join(room.name(), BOB, Optional.empty()))).as("invited only")
                .isEqualTo(Kind.FORBIDDEN);
        rooms.invite(room.name(), ALICE, BOB, false);
        rooms.join(room.name(), BOB, Optional.empty());
        rooms.invite(room.name(), BOB, CAROL, false);
        assertThat(events).as("a member (not administrator) invites in an ad-hoc room").contains("INVITED " + CAROL);
        rooms.leave(room.name(), ALICE);
        assertThat(rooms.find(room.name())).isPresent();
        rooms.leave(room.name(), BOB);
        assertThat(rooms.find(room.name())).as("gone with its last member").isEmpty();
        assertThat(events).contains("CLOSED 0");
        assertThat(rooms(ConferenceSettings.defaults()).find(room.name())).as("and from the store").isEmpty();
        assertThat(kindOf(() -> rooms.create(ALICE, "adhoc-mine", rooms.defaults("adhoc-mine", false),
                Optional.empty()))).isEqualTo(Kind.BAD_REQUEST);
        lobby(false);
        rooms.join("lobby", BOB, Optional.empty());
        assertThat(kindOf(() -> rooms.invite("lobby", BOB, CAROL, false))).as("elsewhere administrators invite (PP-30)")
                .isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    @DisplayName("UC 5.17: the operator may prohibit turning a public contact private; the refusal names nobody; other rooms keep private messages")
    void privateContactProhibited() {
        rooms = rooms(ConferenceSettings.defaults().withPrivateContact(false));
        lobby(true);
        rooms.join("lobby", BOB, Optional.of("bob"));
        assertThatThrownBy(() -> rooms.privately("lobby", BOB, "alice")).isInstanceOf(RoomException.class)
                .hasMessage(Rooms.NO_PRIVATE_CONTACT).hasMessageNotContaining("sip:");
        rooms.post("lobby", BOB, "text/plain", "to all".getBytes(StandardCharsets.UTF_8));
        rooms.create(ALICE, "backroom", rooms.defaults("backroom", false), Optional.empty());
        rooms.join("backroom", BOB, Optional.empty());
        assertThat(rooms.privately("backroom", BOB, ALICE).isPrivate()).isTrue();
    }
}
