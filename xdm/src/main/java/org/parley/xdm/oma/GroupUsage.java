package org.parley.xdm.oma;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;

import java.time.DateTimeException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * AUID org.openmobilealliance.groups (groups.xsd): user-created groups in the users' trees and
 * operator-created ones in the global tree (GIM-7), open or closed (GIM-8), possibly temporary
 * (UC 5.12). Beyond the schema: members are unique, there are no more of them than the group's
 * max-participant-count nor than the operator's ceiling, the group URI is the one its location
 * gives it (so nobody can claim another's group address), and origin and owner match the tree
 * (a user cannot pass a group off as the operator's, nor as someone else's).
 */
public final class GroupUsage implements ApplicationUsage {
    public static final String AUID = "org.openmobilealliance.groups";
    public static final String MIME_TYPE = "application/vnd.oma.poc.groups+xml";

    private static final XmlSchema SCHEMA = XmlSchema.load(ParleyExtensions.SCHEMA, "xsd/oma/groups.xsd");
    private final GroupAddresses addresses;
    private final int maxMembers;

    /** @param maxMembers the operator's ceiling on any group's size */
    public GroupUsage(GroupAddresses addresses, int maxMembers) {
        if (maxMembers < 1) {
            throw new IllegalArgumentException("the member ceiling must be at least 1, was " + maxMembers);
        }
        this.addresses = addresses;
        this.maxMembers = maxMembers;
    }

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return MIME_TYPE;
    }

    @Override
    public String defaultNamespace() {
        return GroupXml.NS;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        Xml.validate(SCHEMA, document);
        Group group;
        try {
            group = GroupXml.read(document, context);
        } catch (DateTimeException e) {
            throw new XcapConflict("constraint-failure", "the group's expiry is not a usable date and time");
        }
        String expectedUri = addresses.uriOf(context).orElseThrow(() -> new XcapConflict("constraint-failure",
                "a group document name is 1 to 32 lower-case letters, digits and '-'"));
        if (!expectedUri.equalsIgnoreCase(group.uri())) {
            throw new XcapConflict("constraint-failure", "the list-service uri of this group must be " + expectedUri);
        }
        checkOriginAndOwner(group, context);
        checkMembers(group);
    }

    private static void checkOriginAndOwner(Group group, DocumentContext context) throws XcapConflict {
        Group.Origin expected = context.global() ? Group.Origin.OPERATOR : Group.Origin.USER;
        if (group.origin() != expected) {
            throw new XcapConflict("constraint-failure", "groups in the " + (context.global() ? "global" : "users")
                    + " tree have origin " + expected.name().toLowerCase(Locale.ROOT));
        }
        if (!context.global() && !group.owner().equalsIgnoreCase(context.xui())) {
            throw new XcapConflict("constraint-failure", "a user's group is owned by that user");
        }
    }

    private void checkMembers(Group group) throws XcapConflict {
        Set<String> seen = new HashSet<>();
        for (Group.Member member : group.members()) {
            if (!seen.add(member.uri().toLowerCase(Locale.ROOT))) {
                throw new XcapConflict("uniqueness-failure", "member " + member.uri() + " is listed twice",
                        "group/list-service/list/entry/@uri", List.of());
            }
        }
        int limit = Math.min(maxMembers, group.maxParticipants().orElse(maxMembers));
        if (group.members().size() > limit) {
            throw new XcapConflict("constraint-failure", "the group may have at most " + limit + " members");
        }
    }
}
