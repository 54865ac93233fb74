package org.parley.messaging.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.Query;
import org.parley.accounts.Page;
import org.parley.store.Database;
import org.parley.store.SqlTime;
import org.parley.store.TimeKeys;

import java.io.IOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Usage records in the {@code usage_record} table, oldest first (by time, then by arrival): the key
 * sorts that way ({@link TimeKeys}), so every listing walks the primary key and a period is a key
 * range. A query's {@code from} is inclusive and its {@code to} exclusive, so that consecutive
 * periods neither overlap nor leave gaps.
 */
public final class JdbiUsageLog implements UsageLog {
    private static final String COLUMNS = "occurred_at, event, sender, recipient, size, content_type, sent_at, "
            + "delivered_at, sender_access, recipient_access, message_ref, detail";
    private static final TimeKeys.Insert INSERT = TimeKeys.Insert.of("usage_record", COLUMNS);
    private static final int MAX_PAGE = 1000;
    /** Rows fetched per round trip while exporting; PostgreSQL honours it only inside a transaction. */
    private static final int EXPORT_FETCH_SIZE = 500;
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final Jdbi jdbi;
    private final TimeKeys keys = new TimeKeys("usage_record");
    private final Function<Instant, Object> time;

    public JdbiUsageLog(Database database) {
        this.jdbi = database.jdbi();
        this.time = SqlTime.binding(database);
    }

    /** One record in its own transaction; a key found taken is chosen again (see {@link TimeKeys}). */
    @Override
    public void record(UsageRecord r) {
        jdbi.useHandle(h -> {
            try (PreparedStatement insert = h.getConnection().prepareStatement(INSERT.one())) {
                keys.insertOne(h.getConnection(), insert, r, r.at(), this::bind);
            } catch (SQLException e) {
                throw new IllegalStateException("writing a usage record failed", e);
            }
        });
    }

    /**
     * Writes several records in one transaction, many rows per INSERT: one commit, one flush to disk,
     * for all of them. Bound with plain JDBC: JDBI's named parameters cost the group-commit writer a
     * fifth of its CPU and 3.4 KB per record (bench LogRecordCpu).
     */
    public void recordAll(List<UsageRecord> records) {
        jdbi.useTransaction(h -> {
            try {
                keys.insertAll(h.getConnection(), INSERT, records, UsageRecord::at, this::bind);
            } catch (SQLException e) {
                throw new IllegalStateException("writing " + records.size() + " usage records failed", e);
            }
        });
    }

    /**
     * The twelve columns after the key, from parameter {@code p} on. A delivery's time is its record's
     * (one value bound for both).
     */
    private void bind(PreparedStatement insert, int p, UsageRecord r) throws SQLException {
        Object at = time.apply(r.at());
        insert.setObject(p, at);
        insert.setString(p + 1, r.event().name());
        insert.setString(p + 2, r.sender());
        insert.setString(p + 3, r.recipient());
        insert.setLong(p + 4, r.size());
        insert.setString(p + 5, r.contentType());
        insert.setObject(p + 6, r.sentAt().equals(r.at()) ? at : time.apply(r.sentAt()));
        if (r.deliveredAt().isPresent()) {
            Instant delivered = r.deliveredAt().get();
            insert.setObject(p + 7, delivered.equals(r.at()) ? at : time.apply(delivered));
        } else {
            insert.setNull(p + 7, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        insert.setString(p + 8, r.senderAccess().orElse(null));
        insert.setString(p + 9, r.recipientAccess().orElse(null));
        insert.setString(p + 10, r.messageRef());
        insert.setString(p + 11, r.detail().orElse(null));
    }

    @Override
    public Page<UsageRecord> list(UsageQuery query, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("offset must be at least 0 and limit 1 to " + MAX_PAGE);
        }
        Filter filter = Filter.of(query);
        return jdbi.withHandle(h -> {
            long total = filter.bind(h.createQuery("SELECT count(*) FROM usage_record" + filter.where()))
                    .mapTo(Long.class).one();
            List<UsageRecord> items = filter.bind(h.createQuery("SELECT " + COLUMNS + " FROM usage_record"
                            + filter.where() + " ORDER BY id LIMIT :limit OFFSET :offset"))
                    .bind("limit", limit).bind("offset", offset)
                    .map((rs, ctx) -> read(rs)).list();
            return new Page<>(items, offset, limit, total);
        });
    }

    @Override
    public void export(UsageQuery query, Writer out) throws IOException {
        Filter filter = Filter.of(query);
        // In a transaction, so that PostgreSQL streams through a cursor instead of reading the
        // whole result into memory first.
        jdbi.useTransaction(h -> {
            Query select = filter.bind(h.createQuery("SELECT " + COLUMNS + " FROM usage_record" + filter.where()
                    + " ORDER BY id"));
            select.setFetchSize(EXPORT_FETCH_SIZE);
            try (ResultIterator<UsageRecord> records = select.map((rs, ctx) -> read(rs)).iterator();
                 JsonGenerator json = JSON.createGenerator(out)) {
                // JSON Lines: every object ends with a newline, no separator between objects.
                json.setRootValueSeparator(null);
                while (records.hasNext()) {
                    writeJson(json, records.next());
                    json.writeRaw('\n');
                }
            }
        });
        out.flush();
    }

    /** The records with {@code address} as sender or recipient, oldest first (a user's export, PP2-5). */
    public List<UsageRecord> concerning(String address) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM usage_record "
                        + "WHERE sender = :address OR recipient = :address ORDER BY id")
                .bind("address", address).map((rs, ctx) -> read(rs)).list());
    }

    /**
     * Replaces {@code address} by {@code pseudonym} as sender and as recipient (account deletion): the
     * records still add up per account for charging, but no longer name the person nor say where
     * they were (the access information of that side is cleared).
     *
     * @return how many records changed
     */
    public int pseudonymise(String address, String pseudonym) {
        return jdbi.inTransaction(h -> h.createUpdate("UPDATE usage_record SET sender = :pseudonym, sender_access = NULL WHERE sender = :address")
                .bind("address", address).bind("pseudonym", pseudonym).execute()
                + h.createUpdate("UPDATE usage_record SET recipient = :pseudonym, recipient_access = NULL WHERE recipient = :address")
                .bind("address", address).bind("pseudonym", pseudonym).execute());
    }

    /** Field names as in {@link UsageRecord}, times in ISO-8601, absent values as null. */
    private static void writeJson(JsonGenerator json, UsageRecord r) throws IOException {
        json.writeStartObject();
        json.writeStringField("at", r.at().toString());
        json.writeStringField("event", r.event().name());
        json.writeStringField("sender", r.sender());
        json.writeStringField("recipient", r.recipient());
        json.writeNumberField("size", r.size());
        json.writeStringField("contentType", r.contentType());
        json.writeStringField("sentAt", r.sentAt().toString());
        json.writeStringField("deliveredAt", r.deliveredAt().map(Instant::toString).orElse(null));
        json.writeStringField("senderAccess", r.senderAccess().orElse(null));
        json.writeStringField("recipientAccess", r.recipientAccess().orElse(null));
        json.writeStringField("messageRef", r.messageRef());
        json.writeStringField("detail", r.detail().orElse(null));
        json.writeEndObject();
    }

    private static UsageRecord read(ResultSet rs) throws SQLException {
        return new UsageRecord(SqlTime.read(rs, "occurred_at"), UsageEvent.valueOf(rs.getString("event")),
                rs.getString("sender"), rs.getString("recipient"), rs.getLong("size"), rs.getString("content_type"),
                SqlTime.read(rs, "sent_at"), Optional.ofNullable(SqlTime.read(rs, "delivered_at")),
                Optional.ofNullable(rs.getString("sender_access")),
                Optional.ofNullable(rs.getString("recipient_access")), rs.getString("message_ref"),
                Optional.ofNullable(rs.getString("detail")));
    }

    /** The WHERE clause of a query and the values it binds. */
    private record Filter(String where, UsageQuery query) {
        static Filter of(UsageQuery query) {
            List<String> conditions = new ArrayList<>();
            query.sender().ifPresent(s -> conditions.add("sender = :sender"));
            query.recipient().ifPresent(r -> conditions.add("recipient = :recipient"));
            query.event().ifPresent(e -> conditions.add("event = :event"));
            query.from().ifPresent(f -> conditions.add("id >= :from"));
            query.to().ifPresent(t -> conditions.add("id < :to"));
            return new Filter(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), query);
        }

        Query bind(Query q) {
            query.sender().ifPresent(s -> q.bind("sender", s));
            query.recipient().ifPresent(r -> q.bind("recipient", r));
            query.event().ifPresent(e -> q.bind("event", e.name()));
            query.from().ifPresent(f -> q.bind("from", TimeKeys.bound(f)));
            query.to().ifPresent(t -> q.bind("to", TimeKeys.bound(t)));
            return q;
        }
    }
}
