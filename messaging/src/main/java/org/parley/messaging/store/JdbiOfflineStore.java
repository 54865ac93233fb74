package org.parley.messaging.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.parley.store.Database;
import org.parley.store.SqlTime;
import org.parley.store.UniqueViolations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The offline store in the {@code offline_message} table. The quota check and the insert run in
 * one transaction holding the recipient's {@code offline_recipient} row FOR UPDATE, which orders
 * stores for one recipient on any number of nodes sharing the database. Stores in this JVM are
 * also ordered by a striped lock first, so that they queue here rather than in the database,
 * whose lock wait is short on H2 (one second by default).
 */
public final class JdbiOfflineStore implements OfflineStore {
    private static final String COLUMNS = "id, sequence, recipient_aor, sender, submitted_at, expires_at, "
            + "content_type, size, imdn_message_id, imdn_requested, request, attempts";
    private static final int STRIPES = 64;
    /** The carried type of an IMDN report (RFC 5438 §7), counted apart in {@link StoreUsage}. */
    private static final String REPORT_TYPE = "message/imdn+xml";

    private final Jdbi jdbi;
    private final Lock[] stripes = new Lock[STRIPES];

    public JdbiOfflineStore(Database database) {
        this.jdbi = database.jdbi();
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public StoredMessage store(NewStoredMessage message, Quota quota) {
        Lock lock = stripes[Math.floorMod(message.recipientAor().hashCode(), STRIPES)];
        lock.lock();
        try {
            try {
                return jdbi.inTransaction(h -> storeLocked(h, message, quota));
            } catch (JdbiException e) {
                // Another node created the recipient's lock row first; it exists now, so lock it.
                if (!UniqueViolations.isUniqueViolation(e)) {
                    throw e;
                }
                return jdbi.inTransaction(h -> storeLocked(h, message, quota));
            }
        } finally {
            lock.unlock();
        }
    }

    private static StoredMessage storeLocked(Handle h, NewStoredMessage m, Quota quota) {
        lockRecipient(h, m.recipientAor());
        StoreUsage usage = usage(h, m.recipientAor());
        if (usage.messages() >= quota.maxMessages() || usage.bytes() + m.size() > quota.maxBytes()) {
            throw new QuotaExceededException(usage, quota);
        }
        UUID id = UUID.randomUUID();
        // What is returned must equal what a later read gives: the columns keep microseconds.
        Instant submittedAt = m.submittedAt().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = m.expiresAt().truncatedTo(ChronoUnit.MICROS);
        long sequence = h.createUpdate("INSERT INTO offline_message (id, recipient_aor, sender, submitted_at, "
                        + "expires_at, content_type, size, imdn_message_id, imdn_requested, request, attempts) VALUES "
                        + "(:id, :recipient, :sender, :submittedAt, :expiresAt, :contentType, :size, :imdnId, "
                        + ":imdnRequested, :request, 0)")
                .bind("id", id)
                .bind("recipient", m.recipientAor())
                .bind("sender", m.sender())
                .bind("submittedAt", SqlTime.argument(submittedAt))
                .bind("expiresAt", SqlTime.argument(expiresAt))
                .bind("contentType", m.contentType())
                .bind("size", m.size())
                .bind("imdnId", m.imdnMessageId().orElse(null))
                .bind("imdnRequested", m.imdnRequested())
                .bind("request", m.request())
                .executeAndReturnGeneratedKeys("sequence")
                .mapTo(Long.class).one();
        return new StoredMessage(id, sequence, m.recipientAor(), m.sender(), submittedAt, expiresAt,
                m.contentType(), m.size(), m.imdnMessageId(), m.imdnRequested(), m.request(), 0);
    }

    /** Holds the recipient's lock row until the transaction ends, creating it on first use. */
    private static void lockRecipient(Handle h, String recipientAor) {
        boolean exists = h.createQuery(
                        "SELECT recipient_aor FROM offline_recipient WHERE recipient_aor = :r FOR UPDATE")
                .bind("r", recipientAor).mapTo(String.class).findOne().isPresent();
        if (!exists) {
            // The new, uncommitted row locks just as well: a concurrent insert waits for this
            // transaction and then fails with a unique violation, and store() tries again.
            h.createUpdate("INSERT INTO offline_recipient (recipient_aor) VALUES (:r)")
                    .bind("r", recipientAor).execute();
        }
    }

    @Override
    public List<StoredMessage> pending(String recipientAor, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM offline_message "
                        + "WHERE recipient_aor = :r ORDER BY sequence LIMIT :limit")
                .bind("r", recipientAor).bind("limit", limit)
                .map((rs, ctx) -> read(rs)).list());
    }

    @Override
    public boolean remove(StoredMessage message) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM offline_message WHERE id = :id")
                .bind("id", message.id()).execute()) > 0;
    }

    @Override
    public void attempted(UUID id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE offline_message SET attempts = attempts + 1 WHERE id = :id")
                .bind("id", id).execute());
    }

    @Override
    public List<StoredMessage> expired(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM offline_message "
                        + "WHERE expires_at <= :now ORDER BY expires_at, sequence LIMIT :limit")
                .bind("now", SqlTime.argument(now)).bind("limit", limit)
                .map((rs, ctx) -> read(rs)).list());
    }

    @Override
    public StoreUsage usage(String recipientAor) {
        return jdbi.withHandle(h -> usage(h, recipientAor));
    }

    private static StoreUsage usage(Handle h, String recipientAor) {
        return h.createQuery("SELECT count(*) AS messages, coalesce(sum(size), 0) AS bytes, "
                        + "coalesce(sum(CASE WHEN content_type = :report THEN 1 ELSE 0 END), 0) AS reports "
                        + "FROM offline_message WHERE recipient_aor = :r")
                .bind("r", recipientAor).bind("report", REPORT_TYPE)
                .map((rs, ctx) -> new StoreUsage(rs.getInt("messages"), rs.getLong("bytes"), rs.getInt("reports")))
                .one();
    }

    @Override
    public List<StoredMessage> concerning(String aor) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM offline_message "
                        + "WHERE recipient_aor = :aor OR sender = :aor ORDER BY sequence")
                .bind("aor", aor).map((rs, ctx) -> read(rs)).list());
    }

    @Override
    public int removeConcerning(String aor) {
        return jdbi.inTransaction(h -> {
            int removed = h.createUpdate("DELETE FROM offline_message WHERE recipient_aor = :aor OR sender = :aor")
                    .bind("aor", aor).execute();
            h.createUpdate("DELETE FROM offline_recipient WHERE recipient_aor = :aor").bind("aor", aor).execute();
            return removed;
        });
    }

    @Override
    public List<String> recipientsWithPending() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT recipient_aor FROM offline_message ORDER BY recipient_aor")
                .mapTo(String.class).list());
    }

    /** One grouped read instead of one per recipient. */
    @Override
    public Map<String, StoreUsage> usageOfAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT recipient_aor, count(*) AS messages, "
                        + "coalesce(sum(size), 0) AS bytes, "
                        + "coalesce(sum(CASE WHEN content_type = :report THEN 1 ELSE 0 END), 0) AS reports "
                        + "FROM offline_message GROUP BY recipient_aor")
                .bind("report", REPORT_TYPE)
                .map((rs, ctx) -> Map.entry(rs.getString("recipient_aor"),
                        new StoreUsage(rs.getInt("messages"), rs.getLong("bytes"), rs.getInt("reports"))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static StoredMessage read(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getObject("id", UUID.class), rs.getLong("sequence"),
                rs.getString("recipient_aor"), rs.getString("sender"), SqlTime.read(rs, "submitted_at"),
                SqlTime.read(rs, "expires_at"), rs.getString("content_type"), rs.getInt("size"),
                Optional.ofNullable(rs.getString("imdn_message_id")), rs.getString("imdn_requested"),
                rs.getBytes("request"), rs.getInt("attempts"));
    }
}
