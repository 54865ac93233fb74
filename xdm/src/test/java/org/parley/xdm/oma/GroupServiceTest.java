package org.parley.xdm.oma;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlWriter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupServiceTest {
    static final GroupAddresses ADDRESSES = new GroupAddresses("example.org", "groups.example.org");
    static final String MARY = "sip:mary@example.org";
    static final String TINA = "sip:tina@example.org";
    static final String IAN = "sip:ian@example.org";

    private final InMemoryXcapDocuments documents = new InMemoryXcapDocuments(new GroupUsage(ADDRESSES, 5),
            new GroupUsageListUsage());
    private final GroupService groups = new GroupService(documents, ADDRESSES,
            Clock.fixed(Instant.parse("2025-06-01T18:00:00Z"), ZoneOffset.UTC));

    @Test
    @DisplayName("GIM-7 a user creates a group: stored in their tree, listed in their group usage list")
    void userGroup() throws Exception {
        Group group = groups.createUserGroup(MARY, "friends", NewGroup.closed("Friends", List.of(TINA)));

        assertThat(group.uri()).isEqualTo("sip:mary.friends@groups.example.org");
        assertThat(group.origin()).isEqualTo(Group.Origin.USER);
        assertThat(group.owner()).isEqualTo(MARY);
        assertThat(groups.find(group.uri())).contains(group);
        assertThat(new GroupUsageList(new DocumentUpdates(documents)).groups(MARY)).containsExactly(group.uri());
        assertThatThrownBy(() -> groups.createUserGroup(MARY, "friends", NewGroup.closed("Again", List.of())))
                .isInstanceOf(GroupException.class).extracting("kind").isEqualTo(GroupException.Kind.EXISTS);
    }

    @Test
    @DisplayName("GIM-7 the operator creates a group in the global tree; a user cannot pass theirs off as the operator's")
    void operatorGroup() throws Exception {
        Group news = groups.createOperatorGroup("news", "sip:editor@example.org",
                NewGroup.closed("News", List.of()).withMembership(Group.Membership.OPEN));
        assertThat(news.uri()).isEqualTo("sip:news@groups.example.org");
        assertThat(groups.find(news.uri()).orElseThrow().origin()).isEqualTo(Group.Origin.OPERATOR);

        String forged = new String(XmlWriter.document(GroupXml.write(new Group("sip:mary.fake@groups.example.org",
                Optional.empty(), List.of(), OptionalInt.empty(), Group.Origin.OPERATOR, MARY,
                Group.Membership.OPEN, Group.ContentWrite.MEMBERS, Optional.empty()))), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> documents.write(new DocumentContext(GroupUsage.AUID, false, MARY, "fake"),
                forged.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("constraint-failure");
    }

    @Test
    @DisplayName("GIM-8 anyone may join an open group; a closed group only takes members its owner adds")
    void openAndClosed() throws Exception {
        Group open = groups.createUserGroup(MARY, "open", NewGroup.closed("Open", List.of())
                .withMembership(Group.Membership.OPEN));
        Group closed = groups.createUserGroup(MARY, "closed", NewGroup.closed("Closed", List.of()));

        assertThat(groups.join(open.uri(), IAN).isMember(IAN)).isTrue();
        assertThatThrownBy(() -> groups.join(closed.uri(), IAN)).isInstanceOf(GroupException.class)
                .extracting("kind").isEqualTo(GroupException.Kind.FORBIDDEN);
        assertThatThrownBy(() -> groups.addMember(closed.uri(), TINA, IAN)).isInstanceOf(GroupException.class)
                .extracting("kind").isEqualTo(GroupException.Kind.FORBIDDEN);
        assertThat(groups.addMember(closed.uri(), MARY, IAN).isMember(IAN)).isTrue();
        assertThat(groups.removeMember(closed.uri(), IAN, IAN).isMember(IAN)).as("members may leave").isFalse();
    }

    @Test
    @DisplayName("members are unique and no more than max-participant-count nor the operator's ceiling")
    void memberConstraints() throws Exception {
        Group small = groups.createUserGroup(MARY, "small", NewGroup.closed("Small", List.of(TINA))
                .withMaxParticipants(2));
        groups.addMember(small.uri(), MARY, IAN);
        assertThatThrownBy(() -> groups.addMember(small.uri(), MARY, "sip:zoe@example.org"))
                .isInstanceOf(GroupException.class).hasMessageContaining("at most 2");
        assertThat(groups.addMember(small.uri(), MARY, TINA).members()).as("adding twice is a no-op").hasSize(2);

        assertThatThrownBy(() -> groups.createUserGroup(MARY, "big", NewGroup.closed("Big",
                List.of("sip:a@x", "sip:b@x", "sip:c@x", "sip:d@x", "sip:e@x", "sip:f@x"))))
                .isInstanceOf(GroupException.class).hasMessageContaining("at most 5");

        String twice = """
                <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:mary.twice@groups.example.org">
                <list><entry uri="sip:tina@example.org"/><entry uri="sip:TINA@example.org"/></list>
                </list-service></group>""";
        assertThatThrownBy(() -> documents.write(new DocumentContext(GroupUsage.AUID, false, MARY, "twice"),
                twice.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("uniqueness-failure");
    }

    @Test
    @DisplayName("an unbounded max-participant-count is taken as the operator's ceiling; an unusable expiry is refused")
    void extremeValues() throws Exception {
        DocumentContext where = new DocumentContext(GroupUsage.AUID, false, MARY, "huge");
        String huge = """
                <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:mary.huge@groups.example.org">
                <list/><max-participant-count>99999999999999999999</max-participant-count></list-service></group>""";
        documents.write(where, huge.getBytes(StandardCharsets.UTF_8), null);
        assertThat(groups.find("sip:mary.huge@groups.example.org").orElseThrow().maxParticipants())
                .hasValue(Integer.MAX_VALUE);
        String farFuture = """
                <group xmlns="urn:oma:xml:poc:list-service" xmlns:px="urn:parley:xml:ns:xdm-ext">
                <list-service uri="sip:mary.huge@groups.example.org"><list/>
                <px:group-policy><px:expires>1000000001-01-01T00:00:00Z</px:expires></px:group-policy>
                </list-service></group>""";
        assertThatThrownBy(() -> documents.write(where, farFuture.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("constraint-failure");
    }

    @Test
    @DisplayName("a group's URI is the one its location gives it, and the schema and DTD rules hold")
    void uriSchemaAndDtd() {
        DocumentContext where = new DocumentContext(GroupUsage.AUID, false, MARY, "g");
        String squatting = """
                <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:tina.g@groups.example.org">
                <list/></list-service></group>""";
        assertThatThrownBy(() -> documents.write(where, squatting.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("constraint-failure");
        String unknownElement = """
                <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:mary.g@groups.example.org">
                <list/><colour>red</colour></list-service></group>""";
        assertThatThrownBy(() -> documents.write(where, unknownElement.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("schema-validation-error");
        String entity = """
                <?xml version="1.0"?><!DOCTYPE group [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:mary.g@groups.example.org">
                <display-name>&x;</display-name><list/></list-service></group>""";
        assertThatThrownBy(() -> documents.write(where, entity.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("not-well-formed");
    }

    @Test
    @DisplayName("group addresses map both ways and never collide with users or between owners")
    void addresses() {
        DocumentContext mine = new DocumentContext(GroupUsage.AUID, false, "sip:a.b@example.org", "c");
        assertThat(ADDRESSES.uriOf(mine)).contains("sip:a.b.c@groups.example.org");
        assertThat(ADDRESSES.locationOf("sip:a.b.c@groups.example.org")).contains(mine);
        assertThat(ADDRESSES.locationOf("sip:news@groups.example.org"))
                .contains(new DocumentContext(GroupUsage.AUID, true, null, "news"));
        assertThat(ADDRESSES.locationOf("sip:mary@example.org")).isEmpty();
        assertThat(ADDRESSES.uriOf(new DocumentContext(GroupUsage.AUID, false, MARY, "has.dot"))).isEmpty();
    }
}
