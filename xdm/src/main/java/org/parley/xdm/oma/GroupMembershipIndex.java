package org.parley.xdm.oma;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.parley.store.Database;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which users' groups concern whom (table {@code group_membership}: each group's owner and
 * members), kept in step with the group documents through {@link XcapDocuments#addListener},
 * whoever wrote them (this server's services or a client over XCAP directly). Finds a user's
 * groups (UC 5.7, 5.8) by one indexed look-up and a read of those documents only, where reading
 * every user's group documents per request grew with the whole user base. Operators' groups
 * (global tree) are not indexed: they are not listed per user.
 */
public final class GroupMembershipIndex {
    private static final Comparator<Group> BY_OWNER_THEN_URI =
            Comparator.comparing((Group g) -> g.owner().toLowerCase(Locale.ROOT)).thenComparing(Group::uri);

    /** The column's size. */
    private static final int MAX_ADDRESS = 512;

    private final Jdbi jdbi;
    private final DocumentUpdates updates;
    private final GroupAddresses addresses;

    private GroupMembershipIndex(Database database, XcapDocuments documents, GroupAddresses addresses) {
        this.jdbi = database.jdbi();
        this.updates = new DocumentUpdates(documents);
        this.addresses = addresses;
    }

    /**
     * Creates the index, registers it for changes of group documents, and builds it from the
     * documents when it is empty while groups exist (the first start after an upgrade).
     */
    public static GroupMembershipIndex attach(Database database, XcapDocuments documents, GroupAddresses addresses) {
        GroupMembershipIndex index = new GroupMembershipIndex(database, documents, addresses);
        documents.addListener((where, oldEtag, newEtag) -> {
            if (GroupUsage.AUID.equals(where.auid()) && !where.global()) {
                index.refresh(where);
            }
        });
        if (index.isEmpty()) {
            index.rebuild();
        }
        return index;
    }

    /** Re-reads one group document and records who it concerns, or forgets it when it is gone. */
    public void refresh(DocumentContext where) {
        Optional<String> uri = addresses.uriOf(where);
        if (uri.isEmpty()) {
            return; // the usage lets no group be stored there
        }
        Set<String> concerned = updates.read(where).map(doc -> GroupXml.read(doc, where))
                .map(GroupMembershipIndex::concerned).orElse(Set.of());
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM group_membership WHERE group_uri = :uri").bind("uri", uri.get()).execute();
            if (!concerned.isEmpty()) {
                PreparedBatch insert = h.prepareBatch("INSERT INTO group_membership (group_uri, xui) VALUES (:uri, :xui)");
                for (String xui : concerned) {
                    insert.bind("uri", uri.get()).bind("xui", xui).add();
                }
                insert.execute();
            }
        });
    }

    /**
     * The users' groups that {@code xui} owns or is a member of, owners in order, each owner's by
     * URI. The documents are re-read, so what is listed is what they say now.
     */
    public List<Group> groupsOf(String xui) {
        List<String> uris = jdbi.withHandle(h -> h.createQuery(
                        "SELECT group_uri FROM group_membership WHERE xui = :xui ORDER BY group_uri")
                .bind("xui", xui.toLowerCase(Locale.ROOT)).mapTo(String.class).list());
        List<Group> found = new ArrayList<>();
        for (String uri : uris) {
            addresses.locationOf(uri).flatMap(where -> updates.read(where).map(doc -> GroupXml.read(doc, where)))
                    .filter(g -> g.owner().equalsIgnoreCase(xui) || g.isMember(xui))
                    .ifPresent(found::add);
        }
        found.sort(BY_OWNER_THEN_URI);
        return found;
    }

    private boolean isEmpty() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM group_membership").mapTo(Long.class).one()) == 0;
    }

    private void rebuild() {
        for (String owner : updates.documents().users(GroupUsage.AUID)) {
            for (String name : updates.documents().documentNames(GroupUsage.AUID, owner)) {
                refresh(new DocumentContext(GroupUsage.AUID, false, owner, name));
            }
        }
    }

    /**
     * The owner and the members, lower-cased; an address longer than the column is left out
     * rather than allowed to fail the document's write (no account's address is that long).
     */
    private static Set<String> concerned(Group group) {
        Set<String> xuis = new LinkedHashSet<>();
        xuis.add(group.owner().toLowerCase(Locale.ROOT));
        group.members().forEach(m -> xuis.add(m.uri().toLowerCase(Locale.ROOT)));
        xuis.removeIf(xui -> xui.length() > MAX_ADDRESS);
        return xuis;
    }
}
