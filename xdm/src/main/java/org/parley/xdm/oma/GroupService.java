package org.parley.xdm.oma;

import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlWriter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Group management on top of org.openmobilealliance.groups documents: user-created and
 * operator-created groups (GIM-7), open and closed membership (GIM-8) and temporary groups
 * (UC 5.12). Every change is a document write, so the group usage's constraints apply and the
 * owner's devices hear of it through XCAP change notification like any other edit.
 */
public final class GroupService {
    private final DocumentUpdates updates;
    private final GroupAddresses addresses;
    private final GroupUsageList usageList;
    private final Clock clock;

    public GroupService(XcapDocuments documents, GroupAddresses addresses, Clock clock) {
        this.updates = new DocumentUpdates(documents);
        this.addresses = addresses;
        this.usageList = new GroupUsageList(updates);
        this.clock = clock;
    }

    /** A user's own group, listed in their group usage list (GIM-7; UC 5.12 step 3 when temporary). */
    public Group createUserGroup(String ownerXui, String name, NewGroup spec) throws GroupException {
        DocumentContext where = new DocumentContext(GroupUsage.AUID, false, ownerXui, name);
        Group group = create(where, Group.Origin.USER, ownerXui, spec);
        try {
            usageList.add(ownerXui, group.uri(), group.displayName());
        } catch (XcapConflict e) {
            throw new IllegalStateException("the group usage list refused a new group", e);
        }
        return group;
    }

    /** An operator's group in the global tree (GIM-7), administered by {@code administrator}. */
    public Group createOperatorGroup(String name, String administrator, NewGroup spec) throws GroupException {
        return create(new DocumentContext(GroupUsage.AUID, true, null, name), Group.Origin.OPERATOR, administrator,
                spec);
    }

    private Group create(DocumentContext where, Group.Origin origin, String owner, NewGroup spec)
            throws GroupException {
        String uri = addresses.uriOf(where).orElseThrow(() -> new GroupException(GroupException.Kind.REFUSED,
                "a group name is 1 to 32 lower-case letters, digits and '-': " + where.documentName()));
        List<Group.Member> members = spec.members().stream().map(m -> new Group.Member(m, Optional.empty())).toList();
        Group group = new Group(uri, spec.displayName(), members, spec.maxParticipants(), origin, owner,
                spec.membership(), spec.contentWrite(), spec.duration().map(d -> clock.instant().plus(d)));
        try {
            updates.documents().write(where, XmlWriter.document(GroupXml.write(group)), Optional.empty());
        } catch (XcapDocuments.PreconditionFailed e) {
            throw new GroupException(GroupException.Kind.EXISTS, "there is already a group " + where.documentName());
        } catch (XcapConflict e) {
            throw refused(e);
        }
        return group;
    }

    public Optional<Group> find(String groupUri) {
        return addresses.locationOf(groupUri).flatMap(where -> updates.read(where).map(doc -> GroupXml.read(doc, where)));
    }

    /** The owner adds a member to their group, open or closed. */
    public Group addMember(String groupUri, String byXui, String memberUri) throws GroupException {
        return edit(groupUri, group -> {
            if (!group.owner().equalsIgnoreCase(byXui)) {
                throw new GroupException(GroupException.Kind.FORBIDDEN, "only the owner adds members");
            }
            return withMember(group, memberUri);
        });
    }

    /** Anyone may join an open group; a closed one only takes members its owner adds (GIM-8). */
    public Group join(String groupUri, String userXui) throws GroupException {
        return edit(groupUri, group -> {
            if (group.membership() == Group.Membership.CLOSED) {
                throw new GroupException(GroupException.Kind.FORBIDDEN, "the group is closed: members are invited");
            }
            return withMember(group, userXui);
        });
    }

    /** A member leaves, or the owner removes them. */
    public Group removeMember(String groupUri, String byXui, String memberUri) throws GroupException {
        return edit(groupUri, group -> {
            if (!byXui.equalsIgnoreCase(memberUri) && !group.owner().equalsIgnoreCase(byXui)) {
                throw new GroupException(GroupException.Kind.FORBIDDEN, "only the owner removes other members");
            }
            return group.withMembers(group.members().stream().filter(m -> !m.uri().equalsIgnoreCase(memberUri))
                    .toList());
        });
    }

    /** Deletes a group and takes it off its owner's group usage list. */
    public boolean delete(String groupUri) {
        Optional<DocumentContext> where = addresses.locationOf(groupUri);
        if (where.isEmpty() || !updates.documents().delete(where.get())) {
            return false;
        }
        if (!where.get().global()) {
            try {
                usageList.remove(where.get().xui(), groupUri);
            } catch (XcapConflict e) {
                throw new IllegalStateException("the group usage list refused a removal", e);
            }
        }
        return true;
    }

    private static Group withMember(Group group, String memberUri) {
        if (group.isMember(memberUri)) {
            return group;
        }
        List<Group.Member> members = new ArrayList<>(group.members());
        members.add(new Group.Member(memberUri, Optional.empty()));
        return group.withMembers(members);
    }

    @FunctionalInterface
    private interface GroupEdit {
        Group apply(Group group) throws GroupException;
    }

    /** Rewrites the group under its ETag, redoing the edit if someone else changed it meanwhile. */
    private Group edit(String groupUri, GroupEdit edit) throws GroupException {
        DocumentContext where = addresses.locationOf(groupUri)
                .orElseThrow(() -> new GroupException(GroupException.Kind.NOT_FOUND, "no group " + groupUri));
        for (int attempt = 0; attempt < 5; attempt++) {
            XcapDocuments.Stored stored = updates.documents().read(where)
                    .orElseThrow(() -> new GroupException(GroupException.Kind.NOT_FOUND, "no group " + groupUri));
            Group changed;
            try {
                changed = edit.apply(GroupXml.read(Xml.parse(stored.content()), where));
                updates.documents().write(where, XmlWriter.document(GroupXml.write(changed)),
                        Optional.of(stored.etag()));
                return changed;
            } catch (XcapConflict e) {
                throw refused(e);
            } catch (XcapDocuments.PreconditionFailed e) {
                // changed meanwhile: read again
            }
        }
        throw new IllegalStateException("group " + groupUri + " keeps changing under us");
    }

    private static GroupException refused(XcapConflict e) {
        return new GroupException(GroupException.Kind.REFUSED, e.condition() + ": " + e.getMessage());
    }
}
