package org.parley.conference.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.conference.Invitation;
import org.parley.conference.Member;
import org.parley.conference.Role;
import org.parley.conference.RoomConfig;
import org.parley.conference.RoomMessage;
import org.parley.conference.RoomStore;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

@DisplayName("Rooms, members, roles, bans, invitations and history survive a restart (PP-39..PP-41, PP-30, PP-38), H2 and PostgreSQL")
class JdbiRoomStoreTest {
    private static final Instant T = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final RoomConfig CONFIG = new RoomConfig("Lobby", "Friday", 10, true, false, true, 3);
    private static final String ALICE = "sip:alice@example.org";
    private static final String BOB = "sip:bob@example.org";

    private static Database open(DatabaseTarget target) {
        return Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
    }

    private static RoomStore.Stored only(RoomStore store) {
        List<RoomStore.Stored> all = store.loadAll();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("what is written is what a new store on the same database reads")
    void survivesReopening(DatabaseTarget target) {
        try (Database db = open(target)) {
            RoomStore store = new JdbiRoomStore(db);
            store.create("lobby", ALICE, T, CONFIG, new Member(ALICE, "alice", Role.ADMINISTRATOR, T));
            store.putMember("lobby", new Member(BOB, "bobby", Role.MEMBER, T.plusSeconds(1)));
            store.putInvitation(new Invitation("lobby", "sip:carol@example.org", ALICE, true, T.plusSeconds(60)));
            store.ban("lobby", "sip:mallory@example.org");
            for (int i = 1; i <= 5; i++) {
                store.append("lobby", "alice", "text/plain", ("m" + i).getBytes(StandardCharsets.UTF_8), T.plusSeconds(i), 3);
            }
        }
        try (Database db = open(target)) {
            RoomStore.Stored room = only(new JdbiRoomStore(db));
            assertThat(room.name()).isEqualTo("lobby");
            assertThat(room.creator()).isEqualTo(ALICE);
            assertThat(room.created()).isEqualTo(T);
            assertThat(room.config()).isEqualTo(CONFIG);
            assertThat(room.members()).containsExactly(new Member(ALICE, "alice", Role.ADMINISTRATOR, T),
                    new Member(BOB, "bobby", Role.MEMBER, T.plusSeconds(1)));
            assertThat(room.bans()).containsExactly("sip:mallory@example.org");
            assertThat(room.invitations()).containsExactly(
                    new Invitation("lobby", "sip:carol@example.org", ALICE, true, T.plusSeconds(60)));
            assertThat(room.history()).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                    .containsExactly("m3", "m4", "m5");
            assertThat(room.history()).extracting(RoomMessage::sequence).isSorted();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("a role change replaces the member; a ban removes membership and invitation; closing deletes everything")
    void changes(DatabaseTarget target) {
        try (Database db = open(target)) {
            RoomStore store = new JdbiRoomStore(db);
            store.create("lobby", ALICE, T, CONFIG, new Member(ALICE, "alice", Role.ADMINISTRATOR, T));
            store.putInvitation(new Invitation("lobby", BOB, ALICE, false, T.plusSeconds(60)));
            store.putMember("lobby", new Member(BOB, "bob", Role.MEMBER, T));
            assertThat(only(store).invitations()).as("joining uses the invitation up").isEmpty();
            store.putMember("lobby", new Member(BOB, "bob", Role.ADMINISTRATOR, T));
            assertThat(only(store).members()).extracting(Member::role).containsExactly(Role.ADMINISTRATOR, Role.ADMINISTRATOR);

            store.ban("lobby", BOB);
            assertThat(only(store).members()).extracting(Member::aor).containsExactly(ALICE);
            store.unban("lobby", BOB);
            assertThat(only(store).bans()).isEmpty();

            store.configure("lobby", new RoomConfig("Lobby 2", "", 5, false, true, false, 1));
            store.append("lobby", "alice", "text/plain", new byte[] {1}, T, 1);
            store.append("lobby", "alice", "text/plain", new byte[] {2}, T, 1);
            assertThat(only(store).config().subject()).isEqualTo("Lobby 2");
            assertThat(only(store).history()).extracting(m -> m.body()[0]).containsExactly((byte) 2);

            store.delete("lobby");
            assertThat(store.loadAll()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("a screen name is taken once per room, by the database too")
    void screenNamesAreUnique(DatabaseTarget target) {
        try (Database db = open(target)) {
            RoomStore store = new JdbiRoomStore(db);
            store.create("lobby", ALICE, T, CONFIG, new Member(ALICE, "alice", Role.ADMINISTRATOR, T));
            store.create("other", ALICE, T, CONFIG, new Member(ALICE, "alice", Role.ADMINISTRATOR, T));
            assertThatThrownBy(() -> store.putMember("lobby", new Member(BOB, "alice", Role.MEMBER, T)))
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> store.create("lobby", BOB, T, CONFIG, new Member(BOB, "bob", Role.ADMINISTRATOR, T)))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("a deleted account's memberships, bans and invitations go")
    void forget(DatabaseTarget target) {
        try (Database db = open(target)) {
            RoomStore store = new JdbiRoomStore(db);
            store.create("lobby", ALICE, T, CONFIG, new Member(ALICE, "alice", Role.ADMINISTRATOR, T));
            store.putMember("lobby", new Member(BOB, "bob", Role.MEMBER, T));
            store.putInvitation(new Invitation("lobby", "sip:carol@example.org", BOB, false, T));
            store.ban("lobby", "sip:dave@example.org");
            store.forget(BOB);
            store.forget("sip:dave@example.org");
            assertThat(only(store).members()).extracting(Member::aor).containsExactly(ALICE);
            assertThat(only(store).invitations()).isEmpty();
            assertThat(only(store).bans()).isEmpty();
        }
    }
}
