package org.parley.xdm.oma;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.xdm.oma.GroupContentPolicy.Access.READ;
import static org.parley.xdm.oma.GroupContentPolicy.Access.WRITE;
import static org.parley.xdm.oma.GroupServiceTest.ADDRESSES;
import static org.parley.xdm.oma.GroupServiceTest.IAN;
import static org.parley.xdm.oma.GroupServiceTest.MARY;
import static org.parley.xdm.oma.GroupServiceTest.TINA;

@DisplayName("GIM-9 shared content folders")
class GroupContentPolicyTest {
    private final InMemoryXcapDocuments documents = new InMemoryXcapDocuments(new GroupUsage(ADDRESSES, 50),
            new GroupUsageListUsage());
    private final GroupService groups = new GroupService(documents, ADDRESSES, Clock.systemUTC());
    private final GroupContentPolicy policy = new GroupContentPolicy(groups);

    private static DocumentContext folder(Group group, String document) {
        return new DocumentContext(GroupContentUsage.AUID, false, group.uri(), document);
    }

    @Test
    @DisplayName("GIM-9 members read and write a closed group's content; outsiders do neither")
    void closedGroup() throws Exception {
        Group band = groups.createUserGroup(MARY, "band", NewGroup.closed("Band", List.of(TINA)));
        DocumentContext setlist = folder(band, "setlist");

        assertThat(policy.permits(TINA, setlist, READ)).isTrue();
        assertThat(policy.permits(TINA, setlist, WRITE)).isTrue();
        assertThat(policy.permits(MARY, setlist, WRITE)).as("the owner").isTrue();
        assertThat(policy.permits(IAN, setlist, READ)).isFalse();
        assertThat(policy.permits(IAN, setlist, WRITE)).isFalse();
        assertThat(policy.permits(null, setlist, READ)).isFalse();
    }

    @Test
    @DisplayName("GIM-9 an open group's content is readable by all; an owner-only group lets members just read")
    void openAndOwnerOnly() throws Exception {
        Group board = groups.createUserGroup(MARY, "board", NewGroup.closed("Notice board", List.of(TINA))
                .withMembership(Group.Membership.OPEN).withContentWrite(Group.ContentWrite.OWNER));
        DocumentContext notices = folder(board, "notices");

        assertThat(policy.permits(IAN, notices, READ)).isTrue();
        assertThat(policy.permits(IAN, notices, WRITE)).isFalse();
        assertThat(policy.permits(TINA, notices, WRITE)).isFalse();
        assertThat(policy.permits(MARY, notices, WRITE)).isTrue();
    }

    @Test
    @DisplayName("GIM-9 content lives only in the folder of an existing group, and other AUIDs get no say")
    void onlyGroupFolders() throws Exception {
        GroupContentUsage usage = new GroupContentUsage(groups);
        byte[] note = "<note>bring ear plugs</note>".getBytes(StandardCharsets.UTF_8);
        DocumentContext nowhere = new DocumentContext(GroupContentUsage.AUID, false,
                "sip:mary.none@groups.example.org", "x");
        assertThatThrownBy(() -> usage.validate(Xml.parse(note), nowhere))
                .isInstanceOf(XcapConflict.class).extracting("condition").isEqualTo("constraint-failure");
        assertThat(policy.permits(MARY, nowhere, READ)).isFalse();

        Group band = groups.createUserGroup(MARY, "band", NewGroup.closed("Band", List.of(TINA)));
        usage.validate(Xml.parse(note), folder(band, "note"));
        assertThat(policy.permits(MARY, new DocumentContext("resource-lists", false, band.uri(), "index"), READ))
                .isFalse();
    }
}
