package org.parley.xdm.oma;

import org.parley.xdm.DocumentContext;

import java.util.Optional;

/**
 * Who may read and write a group's shared content (GIM-9), for the XCAP layer to ask before it
 * serves a request under {@value GroupContentUsage#AUID}: the content of an open group may be
 * read by any user, that of a closed group by its members and owner; members may write unless
 * the group reserves writing to its owner. The operator's own tools write through the admin side
 * and do not come here.
 */
public final class GroupContentPolicy {
    public enum Access { READ, WRITE }

    private final GroupService groups;

    public GroupContentPolicy(GroupService groups) {
        this.groups = groups;
    }

    /**
     * @param requesterXui the authenticated user
     * @param where        a document (or directory) under {@value GroupContentUsage#AUID}
     */
    public boolean permits(String requesterXui, DocumentContext where, Access access) {
        if (!GroupContentUsage.AUID.equals(where.auid()) || where.global() || requesterXui == null) {
            return false;
        }
        Optional<Group> group = groups.find(where.xui());
        if (group.isEmpty()) {
            return false;
        }
        Group g = group.get();
        boolean owner = g.owner().equalsIgnoreCase(requesterXui);
        boolean member = g.isMember(requesterXui);
        return switch (access) {
            case READ -> owner || member || g.membership() == Group.Membership.OPEN;
            case WRITE -> owner || (member && g.contentWrite() == Group.ContentWrite.MEMBERS);
        };
    }
}
