package org.parley.xdm.oma;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.xdm.DocumentContext;
import org.parley.xml.XmlWriter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.oma.GroupServiceTest.ADDRESSES;
import static org.parley.xdm.oma.GroupServiceTest.IAN;
import static org.parley.xdm.oma.GroupServiceTest.MARY;
import static org.parley.xdm.oma.GroupServiceTest.TINA;

@DisplayName("UC 5.7, UC 5.8 the index of who each user's group concerns, on H2 and PostgreSQL")
class GroupMembershipIndexTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);

    private static Database open(DatabaseTarget db) {
        return Database.open(DatabaseSettings.external(db.jdbcUrl(), db.user(), db.password()));
    }

    private static InMemoryXcapDocuments documents() {
        return new InMemoryXcapDocuments(new GroupUsage(ADDRESSES, 50), new GroupUsageListUsage());
    }

    private static List<String> uris(List<Group> groups) {
        return groups.stream().map(Group::uri).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("creation, a member added and removed, a group deleted: the owner's and members' lists follow")
    void followsTheDocuments(DatabaseTarget db) throws Exception {
        try (Database database = open(db)) {
            InMemoryXcapDocuments documents = documents();
            GroupService groups = new GroupService(documents, ADDRESSES, CLOCK);
            GroupMembershipIndex index = GroupMembershipIndex.attach(database, documents, ADDRESSES);

            Group friends = groups.createUserGroup(MARY, "friends", NewGroup.closed("Friends", List.of(TINA)));
            Group crew = groups.createUserGroup(TINA, "crew", NewGroup.closed("Crew", List.of(MARY)));
            assertThat(uris(index.groupsOf(MARY))).containsExactly(friends.uri(), crew.uri());
            assertThat(uris(index.groupsOf(TINA))).containsExactly(friends.uri(), crew.uri());
            assertThat(index.groupsOf(IAN)).isEmpty();

            groups.addMember(friends.uri(), MARY, IAN);
            assertThat(uris(index.groupsOf(IAN))).containsExactly(friends.uri());
            groups.removeMember(friends.uri(), IAN, IAN);
            assertThat(index.groupsOf(IAN)).isEmpty();

            assertThat(groups.delete(crew.uri())).isTrue();
            assertThat(uris(index.groupsOf(MARY))).containsExactly(friends.uri());
            assertThat(uris(index.groupsOf(TINA))).containsExactly(friends.uri());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("a group written over XCAP directly is found; addresses compare case-insensitively")
    void writtenDirectly(DatabaseTarget db) throws Exception {
        try (Database database = open(db)) {
            InMemoryXcapDocuments documents = documents();
            GroupMembershipIndex index = GroupMembershipIndex.attach(database, documents, ADDRESSES);
            Group band = new Group("sip:tina.band@groups.example.org", Optional.of("Band"),
                    List.of(new Group.Member("sip:MARY@example.org", Optional.empty())), OptionalInt.empty(),
                    Group.Origin.USER, TINA, Group.Membership.OPEN, Group.ContentWrite.MEMBERS, Optional.empty());
            documents.write(new DocumentContext(GroupUsage.AUID, false, TINA, "band"),
                    XmlWriter.document(GroupXml.write(band)), Optional.empty());
            assertThat(uris(index.groupsOf(MARY))).containsExactly(band.uri());
            assertThat(uris(index.groupsOf("sip:Tina@Example.org"))).containsExactly(band.uri());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("groups that existed before the index (an upgrade) are indexed when it is first attached, once")
    void builtOnUpgrade(DatabaseTarget db) throws Exception {
        InMemoryXcapDocuments documents = documents();
        GroupService groups = new GroupService(documents, ADDRESSES, CLOCK);
        Group friends = groups.createUserGroup(MARY, "friends", NewGroup.closed("Friends", List.of(TINA)));
        Group party = groups.createUserGroup(IAN, "party", NewGroup.closed("Party", List.of(TINA, MARY)));
        try (Database database = open(db)) {
            assertThat(uris(GroupMembershipIndex.attach(database, documents, ADDRESSES).groupsOf(TINA)))
                    .containsExactly(party.uri(), friends.uri());
        }
        try (Database again = open(db)) {
            GroupMembershipIndex restarted = GroupMembershipIndex.attach(again, documents(), ADDRESSES);
            // built once: a later start trusts the table (here the documents are not even there)
            assertThat(restarted.groupsOf(TINA)).isEmpty();
            long rows = again.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM group_membership")
                    .mapTo(Long.class).one());
            assertThat(rows).isEqualTo(5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("a member address longer than the index column leaves that member out, the write and the others succeed")
    void overlongAddress(DatabaseTarget db) throws Exception {
        try (Database database = open(db)) {
            InMemoryXcapDocuments documents = documents();
            GroupService groups = new GroupService(documents, ADDRESSES, CLOCK);
            GroupMembershipIndex index = GroupMembershipIndex.attach(database, documents, ADDRESSES);
            String longAddress = "sip:" + "x".repeat(600) + "@example.org";
            Group big = groups.createUserGroup(MARY, "big", NewGroup.closed("Big", List.of(TINA, longAddress)));
            assertThat(uris(index.groupsOf(TINA))).containsExactly(big.uri());
            assertThat(index.groupsOf(longAddress)).isEmpty();
        }
    }
}
