package org.parley.xdm.oma;

import org.jdbi.v3.core.Jdbi;
import org.parley.store.Database;
import org.parley.store.SqlTime;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The temporary groups and their expiry (table {@code temporary_group}), kept in step with the
 * group documents through {@link XcapDocuments#addListener}, whoever wrote them (this server's
 * services or a client over XCAP). Lets the sweeper find expired groups without reading every
 * user's documents.
 */
public final class TemporaryGroupIndex {
    /** An indexed temporary group; the owner is empty for an operator's group. */
    public record Entry(String groupUri, Optional<String> ownerXui, Instant expires) {
    }

    private final Jdbi jdbi;
    private final DocumentUpdates updates;
    private final GroupAddresses addresses;

    private TemporaryGroupIndex(Database database, XcapDocuments documents, GroupAddresses addresses) {
        this.jdbi = database.jdbi();
        this.updates = new DocumentUpdates(documents);
        this.addresses = addresses;
    }

    /** Creates the index and registers it for changes of group documents. */
    public static TemporaryGroupIndex attach(Database database, XcapDocuments documents, GroupAddresses addresses) {
        TemporaryGroupIndex index = new TemporaryGroupIndex(database, documents, addresses);
        documents.addListener((where, oldEtag, newEtag) -> {
            if (GroupUsage.AUID.equals(where.auid())) {
                index.refresh(where);
            }
        });
        return index;
    }

    /** Re-reads one group document and records or forgets its expiry. */
    public void refresh(DocumentContext where) {
        Optional<String> uri = addresses.uriOf(where);
        if (uri.isEmpty()) {
            return; // the usage lets no group be stored there
        }
        Optional<Instant> expires = updates.read(where).map(doc -> GroupXml.read(doc, where)).flatMap(Group::expires);
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM temporary_group WHERE group_uri = :uri").bind("uri", uri.get()).execute();
            if (expires.isPresent()) {
                h.createUpdate("INSERT INTO temporary_group (group_uri, owner_xui, expires_at) "
                                + "VALUES (:uri, :owner, :expires)")
                        .bind("uri", uri.get())
                        .bind("owner", where.global() ? null : where.xui())
                        .bind("expires", SqlTime.argument(expires.get()))
                        .execute();
            }
        });
    }

    public void forget(String groupUri) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM temporary_group WHERE group_uri = :uri")
                .bind("uri", groupUri).execute());
    }

    /** Temporary groups whose time is up at {@code now}, earliest first. */
    public List<Entry> expired(Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT group_uri, owner_xui, expires_at FROM temporary_group "
                        + "WHERE expires_at <= :now ORDER BY expires_at")
                .bind("now", SqlTime.argument(now))
                .map((rs, ctx) -> new Entry(rs.getString("group_uri"), Optional.ofNullable(rs.getString("owner_xui")),
                        SqlTime.read(rs, "expires_at")))
                .list());
    }
}
