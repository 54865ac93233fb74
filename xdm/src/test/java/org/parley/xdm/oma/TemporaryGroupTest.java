package org.parley.xdm.oma;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.DocumentContext;
import org.parley.xml.XmlWriter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.oma.GroupServiceTest.ADDRESSES;
import static org.parley.xdm.oma.GroupServiceTest.IAN;
import static org.parley.xdm.oma.GroupServiceTest.MARY;
import static org.parley.xdm.oma.GroupServiceTest.TINA;

@DisplayName("UC 5.12 temporary groups")
class TemporaryGroupTest {
    private static final Instant CREATED = Instant.parse("2025-06-01T17:00:00Z");
    private static final Duration THREE_HOURS = Duration.ofHours(3);

    private final DatabaseTarget target = TestDatabases.h2();
    private final Database database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(),
            target.password()));
    private final InMemoryXcapDocuments documents = new InMemoryXcapDocuments(new GroupUsage(ADDRESSES, 50),
            new GroupUsageListUsage());
    private final GroupService groups = new GroupService(documents, ADDRESSES, Clock.fixed(CREATED, ZoneOffset.UTC));
    private final TemporaryGroupIndex index = TemporaryGroupIndex.attach(database, documents, ADDRESSES);
    private final Set<String> sessions = new HashSet<>();
    private final List<String> notices = new ArrayList<>();
    private final TemporaryGroupSweeper sweeper = new TemporaryGroupSweeper(index, groups, sessions::contains,
            (owner, uri) -> notices.add(owner + " " + uri));
    private final GroupUsageList usageList = new GroupUsageList(new DocumentUpdates(documents));

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    @DisplayName("UC 5.12 the group outlives its duration while a session is active, then goes and the owner is told")
    void zombieConcert() throws Exception {
        Group concert = groups.createUserGroup(MARY, "zombie-concert",
                NewGroup.closed("Zombie Concert", List.of(TINA, IAN)).temporary(THREE_HOURS));
        Group permanent = groups.createUserGroup(MARY, "family", NewGroup.closed("Family", List.of(TINA)));
        // Step 3: the owner's group list shows the new group, marked temporary in its document.
        assertThat(usageList.groups(MARY)).containsExactly(concert.uri(), permanent.uri());
        assertThat(groups.find(concert.uri()).orElseThrow().expires()).contains(CREATED.plus(THREE_HOURS));

        assertThat(sweeper.sweep(CREATED.plus(Duration.ofHours(2)))).as("not yet expired").isEmpty();

        // Step 6: three hours on, the chat is still going.
        sessions.add(concert.uri());
        assertThat(sweeper.sweep(CREATED.plus(THREE_HOURS))).isEmpty();
        assertThat(groups.find(concert.uri())).isPresent();

        // Steps 7-8: the chat ends; the next sweep deletes the group and updates Mary's list.
        sessions.clear();
        assertThat(sweeper.sweep(CREATED.plus(Duration.ofHours(4)))).containsExactly(concert.uri());
        assertThat(groups.find(concert.uri())).isEmpty();
        assertThat(usageList.groups(MARY)).containsExactly(permanent.uri());
        assertThat(notices).containsExactly(MARY + " " + concert.uri());
        assertThat(sweeper.sweep(CREATED.plus(Duration.ofDays(30)))).as("nothing else to do").isEmpty();
        assertThat(groups.find(permanent.uri())).isPresent();
    }

    @Test
    @DisplayName("UC 5.12 a group the owner made permanent over XCAP is left alone, and the index follows XCAP deletes")
    void indexFollowsDocuments() throws Exception {
        Group trip = groups.createUserGroup(MARY, "trip", NewGroup.closed("Trip", List.of()).temporary(THREE_HOURS));
        DocumentContext where = ADDRESSES.locationOf(trip.uri()).orElseThrow();
        Group madePermanent = new Group(trip.uri(), trip.displayName(), trip.members(), trip.maxParticipants(),
                trip.origin(), trip.owner(), trip.membership(), trip.contentWrite(), Optional.empty());
        documents.write(where, XmlWriter.document(GroupXml.write(madePermanent)), null);
        assertThat(index.expired(CREATED.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(sweeper.sweep(CREATED.plus(Duration.ofDays(1)))).isEmpty();

        Group party = groups.createUserGroup(MARY, "party", NewGroup.closed("Party", List.of()).temporary(THREE_HOURS));
        assertThat(index.expired(CREATED.plus(Duration.ofDays(1)))).hasSize(1);
        documents.delete(ADDRESSES.locationOf(party.uri()).orElseThrow());
        assertThat(index.expired(CREATED.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(notices).isEmpty();
    }
}
