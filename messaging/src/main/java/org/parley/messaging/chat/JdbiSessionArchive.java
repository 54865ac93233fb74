package org.parley.messaging.chat;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.parley.accounts.Page;
import org.parley.store.Database;
import org.parley.store.SqlTime;

/** The {@code session_message} and {@code session_storage_request} tables. */
public final class JdbiSessionArchive implements SessionArchive {
    private static final int MAX_PAGE = 1000;
    private static final String COLUMNS = "id, owner, call_id, sender, recipient, message_id, content_type, stored_at, body";
    private static final RowMapper<SessionMessage> ROW = (rs, ctx) -> new SessionMessage(rs.getObject("id", UUID.class),
            rs.getString("owner"), rs.getString("call_id"), rs.getString("sender"), rs.getString("recipient"),
            rs.getString("message_id"), rs.getString("content_type"), SqlTime.read(rs, "stored_at"),
            rs.getBytes("body"));

    private final Jdbi jdbi;

    public JdbiSessionArchive(Database database) {
        this.jdbi = database.jdbi();
    }

    @Override
    public void store(SessionMessage m) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO session_message (" + COLUMNS + ") VALUES (:id, :owner, :callId, "
                        + ":sender, :recipient, :messageId, :contentType, :storedAt, :body)")
                .bind("id", m.id()).bind("owner", m.owner()).bind("callId", m.callId()).bind("sender", m.sender())
                .bind("recipient", m.recipient()).bind("messageId", m.messageId()).bind("contentType", m.contentType())
                .bind("storedAt", SqlTime.argument(m.storedAt())).bind("body", m.body()).execute());
    }

    @Override
    public Page<SessionMessage> list(String owner, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("offset must be at least 0 and limit 1 to " + MAX_PAGE);
        }
        return jdbi.withHandle(h -> {
            long total = h.createQuery("SELECT count(*) FROM session_message WHERE owner = :owner").bind("owner", owner)
                    .mapTo(Long.class).one();
            List<SessionMessage> items = h.createQuery("SELECT " + COLUMNS + " FROM session_message WHERE owner = :owner "
                            + "ORDER BY sequence LIMIT :limit OFFSET :offset")
                    .bind("owner", owner).bind("limit", limit).bind("offset", offset).map(ROW).list();
            return new Page<>(items, offset, limit, total);
        });
    }

    @Override
    public Optional<SessionMessage> get(String owner, UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM session_message WHERE owner = :owner "
                + "AND id = :id").bind("owner", owner).bind("id", id).map(ROW).findOne());
    }

    @Override
    public boolean delete(String owner, UUID id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM session_message WHERE owner = :owner AND id = :id")
                .bind("owner", owner).bind("id", id).execute()) > 0;
    }

    @Override
    public boolean keepsSessions(String owner) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM session_storage_request WHERE owner = :owner")
                .bind("owner", owner).mapTo(Long.class).one()) > 0;
    }

    @Override
    public void keepSessions(String owner, boolean keep) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM session_storage_request WHERE owner = :owner").bind("owner", owner).execute();
            if (keep) {
                h.createUpdate("INSERT INTO session_storage_request (owner) VALUES (:owner)").bind("owner", owner).execute();
            }
        });
    }

    @Override
    public List<SessionMessage> all(String owner) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM session_message WHERE owner = :owner "
                + "ORDER BY sequence").bind("owner", owner).map(ROW).list());
    }

    @Override
    public void erase(String owner) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM session_message WHERE owner = :owner").bind("owner", owner).execute();
            h.createUpdate("DELETE FROM session_storage_request WHERE owner = :owner").bind("owner", owner).execute();
        });
    }
}
