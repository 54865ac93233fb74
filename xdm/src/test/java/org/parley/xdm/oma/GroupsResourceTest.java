package org.parley.xdm.oma;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.DocumentContext;
import org.parley.xml.XmlWriter;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.xdm.oma.UserApiServer.body;

@DisplayName("UC 5.7, UC 5.8 GET /api/v1/groups: the groups a user owns or is a member of")
class GroupsResourceTest {
    private static final GroupAddresses ADDRESSES = new GroupAddresses(UserApiServer.DOMAIN, "groups." + UserApiServer.DOMAIN);
    private static final String MARY = "sip:mary@example.org";
    private static final String TINA = "sip:tina@example.org";
    private static final String IAN = "sip:ian@example.org";

    private final DatabaseTarget target = TestDatabases.h2();
    private final Database database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
    private final InMemoryXcapDocuments documents = new InMemoryXcapDocuments(new GroupUsage(ADDRESSES, 10),
            new GroupUsageListUsage());
    private final GroupService groups = new GroupService(documents, ADDRESSES,
            Clock.fixed(Instant.parse("2026-12-06T20:00:00Z"), ZoneOffset.UTC));
    private final UserApiServer http = new UserApiServer(database, UserApiServer.accounts(database, "mary", "tina", "ian"),
            List.of(new GroupsResource(GroupMembershipIndex.attach(database, documents, ADDRESSES), user -> "sip:" + user + "@" + UserApiServer.DOMAIN)));

    @AfterEach
    void stop() {
        http.close();
        database.close();
    }

    @Test
    @DisplayName("UC 5.7 the owner and the members each see the group with its URI, owner and members; others see nothing")
    void ownerAndMembers() throws Exception {
        groups.createUserGroup(MARY, "friends", NewGroup.closed("Friends", List.of(TINA)));
        // a group written over XCAP directly, not through the service (no group usage list entry)
        Group crew = new Group("sip:tina.crew@groups.example.org", Optional.of("Crew"), List.of(new Group.Member(MARY, Optional.empty())),
                OptionalInt.empty(), Group.Origin.USER, TINA, Group.Membership.OPEN, Group.ContentWrite.MEMBERS, Optional.empty());
        documents.write(new DocumentContext(GroupUsage.AUID, false, TINA, "crew"), XmlWriter.document(GroupXml.write(crew)),
                Optional.empty());

        JsonNode mary = groupsOf("mary");
        assertThat(mary.findValuesAsText("uri")).containsExactlyInAnyOrder("sip:mary.friends@groups.example.org",
                "sip:tina.crew@groups.example.org");
        JsonNode friends = find(mary, "sip:mary.friends@groups.example.org");
        assertThat(friends.get("mine").asBoolean()).isTrue();
        assertThat(friends.get("displayName").asText()).isEqualTo("Friends");
        assertThat(friends.get("membership").asText()).isEqualTo("closed");
        assertThat(friends.get("members").get(0).asText()).isEqualTo(TINA);
        assertThat(find(mary, "sip:tina.crew@groups.example.org").get("mine").asBoolean()).isFalse();

        JsonNode tina = groupsOf("tina");
        assertThat(tina.findValuesAsText("uri")).containsExactlyInAnyOrder("sip:mary.friends@groups.example.org",
                "sip:tina.crew@groups.example.org");
        assertThat(find(tina, "sip:tina.crew@groups.example.org").get("owner").asText()).isEqualTo(TINA);

        assertThat(groupsOf("ian")).isEmpty();
    }

    @Test
    @DisplayName("UC 5.8 a member removed no longer sees the group; a temporary group says when it ends")
    void removedAndTemporary() throws Exception {
        groups.createUserGroup(MARY, "party", NewGroup.closed("Party", List.of(TINA, IAN)).temporary(java.time.Duration.ofHours(2)));
        assertThat(find(groupsOf("ian"), "sip:mary.party@groups.example.org").get("expires").asText())
                .isEqualTo("2026-12-06T22:00:00Z");
        groups.removeMember("sip:mary.party@groups.example.org", IAN, IAN);
        assertThat(groupsOf("ian")).isEmpty();
        assertThat(groupsOf("tina")).hasSize(1);
    }

    @Test
    @DisplayName("the list needs the user's own credentials (401 otherwise)")
    void authenticated() {
        assertThat(http.send(http.as("nobody", "/api/v1/groups")).statusCode()).isEqualTo(401);
    }

    private JsonNode groupsOf(String user) {
        HttpResponse<String> response = http.send(http.as(user, "/api/v1/groups"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response).get("groups");
    }

    private static JsonNode find(JsonNode groups, String uri) {
        for (JsonNode g : groups) {
            if (g.get("uri").asText().equals(uri)) {
                return g;
            }
        }
        throw new AssertionError("no group " + uri + " in " + groups);
    }
}
