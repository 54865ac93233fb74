package org.parley.xdm.xcap;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.parley.store.Database;
import org.parley.store.SqlTime;
import org.parley.store.UniqueViolations;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments.Stored;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * XCAP documents in the {@code xcap_document} table, byte-exact, each with a random strong ETag
 * that changes on every write (a content hash would repeat after a change and its undo, and a
 * client holding the old ETag would then overwrite a change it never saw).
 *
 * <p>{@link #update} is the atomic check-and-write: in this JVM a striped lock keyed by the
 * owner's documents of one AUID orders writers (so a usage's cross-document checks, such as
 * rls-services URIs, see a stable set), and in the database the row is held FOR UPDATE for the
 * transaction, which orders writers on other nodes sharing the database.
 */
public final class JdbiXcapStore {
    private static final int STRIPES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;
    private final Lock[] stripes = new Lock[STRIPES];

    public JdbiXcapStore(Database database, Clock clock) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Computes the new content from the current one, or empty to delete; throws to change nothing. */
    @FunctionalInterface
    public interface Mutation {
        Optional<byte[]> apply(Optional<Stored> current) throws XcapError;
    }

    /** @param oldEtag null when the document did not exist; newEtag null when it was deleted */
    public record Change(String oldEtag, String newEtag) {
        public boolean created() {
            return oldEtag == null && newEtag != null;
        }
    }

    public Optional<Stored> read(DocumentContext where) {
        return jdbi.withHandle(h -> read(h, where, false));
    }

    public Change update(DocumentContext where, Mutation mutation) throws XcapError {
        Lock lock = stripes[Math.floorMod((where.auid() + '\n' + scope(where) + '\n' + xui(where)).hashCode(), STRIPES)];
        lock.lock();
        try {
            try {
                return jdbi.inTransaction(h -> update(h, where, mutation));
            } catch (JdbiException e) {
                // Another node inserted the same new document first; it exists now, so decide again.
                if (!UniqueViolations.isUniqueViolation(e)) {
                    throw e;
                }
                return jdbi.inTransaction(h -> update(h, where, mutation));
            }
        } finally {
            lock.unlock();
        }
    }

    private Change update(Handle h, DocumentContext where, Mutation mutation) throws XcapError {
        Optional<Stored> current = read(h, where, true);
        Optional<byte[]> next = mutation.apply(current);
        String oldEtag = current.map(Stored::etag).orElse(null);
        if (next.isEmpty()) {
            if (current.isPresent()) {
                bind(h.createUpdate("DELETE FROM xcap_document WHERE auid = :auid AND scope = :scope "
                        + "AND xui = :xui AND doc_path = :path"), where).execute();
            }
            return new Change(oldEtag, null);
        }
        String etag = newEtag();
        String sql = current.isPresent()
                ? "UPDATE xcap_document SET content = :content, etag = :etag, updated_at = :at "
                + "WHERE auid = :auid AND scope = :scope AND xui = :xui AND doc_path = :path"
                : "INSERT INTO xcap_document (auid, scope, xui, doc_path, content, etag, updated_at) "
                + "VALUES (:auid, :scope, :xui, :path, :content, :etag, :at)";
        bind(h.createUpdate(sql), where)
                .bind("content", next.get())
                .bind("etag", etag)
                .bind("at", SqlTime.argument(clock.instant()))
                .execute();
        return new Change(oldEtag, etag);
    }

    private static Optional<Stored> read(Handle h, DocumentContext where, boolean forUpdate) {
        return bind(h.createQuery("SELECT content, etag FROM xcap_document WHERE auid = :auid AND scope = :scope "
                        + "AND xui = :xui AND doc_path = :path" + (forUpdate ? " FOR UPDATE" : "")), where)
                .map((rs, ctx) -> new Stored(rs.getBytes("content"), rs.getString("etag")))
                .findOne();
    }

    /** The names of one user's documents under one AUID, in name order. */
    public List<String> documentNames(String auid, String xui) {
        return jdbi.withHandle(h -> h.createQuery("SELECT doc_path FROM xcap_document WHERE auid = :auid "
                        + "AND scope = 'users' AND xui = :xui ORDER BY doc_path")
                .bind("auid", auid).bind("xui", xui)
                .mapTo(String.class).list());
    }

    /** The users with documents under one AUID. */
    public List<String> users(String auid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT xui FROM xcap_document WHERE auid = :auid "
                        + "AND scope = 'users' ORDER BY xui")
                .bind("auid", auid).mapTo(String.class).list());
    }

    /** One user's documents under one AUID with their content, for constraints across documents. */
    public Map<String, byte[]> documents(String auid, String xui) {
        Map<String, byte[]> documents = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT doc_path, content FROM xcap_document WHERE auid = :auid "
                        + "AND scope = 'users' AND xui = :xui ORDER BY doc_path")
                .bind("auid", auid).bind("xui", xui)
                .map((rs, ctx) -> Map.entry(rs.getString("doc_path"), rs.getBytes("content")))
                .forEach(e -> documents.put(e.getKey(), e.getValue())));
        return documents;
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement, DocumentContext where) {
        return statement.bind("auid", where.auid())
                .bind("scope", scope(where))
                .bind("xui", xui(where))
                .bind("path", where.documentName());
    }

    private static String scope(DocumentContext where) {
        return where.global() ? "global" : "users";
    }

    /** The primary key cannot hold NULL, so global documents are stored with an empty XUI. */
    private static String xui(DocumentContext where) {
        return where.global() || where.xui() == null ? "" : where.xui();
    }

    private static String newEtag() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }
}
