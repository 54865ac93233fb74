package org.parley.accounts;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.parley.store.Database;
import org.parley.store.SqlTime;
import org.parley.store.TimeKeys;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Auth attempts in the store's {@code auth_attempt} table ("Auto Registration: record registration
 * and login attempts"). Values come from unauthenticated peers, so they are clipped to the column
 * sizes rather than allowed to make the write, and with it the caller, fail. Newest first: the key
 * sorts by time, then arrival ({@link TimeKeys}), so the listings walk the primary key backwards.
 */
public final class JdbiAuthAttemptLog implements AuthAttemptLog {
    private static final String COLUMNS =
            "attempted_at, claimed_identity, succeeded, reason, door, source_address, transport, user_agent";
    private static final TimeKeys.Insert INSERT = TimeKeys.Insert.of("auth_attempt", COLUMNS);

    private final Jdbi jdbi;
    private final TimeKeys keys = new TimeKeys("auth_attempt");
    private final Function<Instant, Object> time;

    public JdbiAuthAttemptLog(Database database) {
        this.jdbi = database.jdbi();
        this.time = SqlTime.binding(database);
    }

    /** One attempt in its own transaction; a key found taken is chosen again (see {@link TimeKeys}). */
    @Override
    public void record(AuthAttempt attempt) {
        jdbi.useHandle(h -> {
            try (PreparedStatement insert = h.getConnection().prepareStatement(INSERT.one())) {
                keys.insertOne(h.getConnection(), insert, attempt, attempt.at(), this::bind);
            } catch (SQLException e) {
                throw new IllegalStateException("writing an auth attempt failed", e);
            }
        });
    }

    /**
     * Writes several attempts in one transaction, many rows per INSERT (see {@link GroupCommitAuthAttemptLog}),
     * bound with plain JDBC: JDBI's named parameters were a fifth of the writer's CPU per record.
     */
    public void recordAll(List<AuthAttempt> attempts) {
        jdbi.useTransaction(h -> {
            try {
                keys.insertAll(h.getConnection(), INSERT, attempts, AuthAttempt::at, this::bind);
            } catch (SQLException e) {
                throw new IllegalStateException("writing " + attempts.size() + " auth attempts failed", e);
            }
        });
    }

    /** The eight columns after the key, from parameter {@code p} on. */
    private void bind(PreparedStatement insert, int p, AuthAttempt attempt) throws SQLException {
        insert.setObject(p, time.apply(attempt.at()));
        insert.setString(p + 1, clip(attempt.identity(), 256));
        insert.setBoolean(p + 2, attempt.success());
        insert.setString(p + 3, clip(attempt.reason(), 256));
        insert.setString(p + 4, clip(attempt.door(), 32));
        insert.setString(p + 5, clip(attempt.source(), 128));
        insert.setString(p + 6, clip(attempt.transport(), 16));
        Optional<String> userAgent = attempt.userAgent();
        insert.setString(p + 7, userAgent.isPresent() ? clip(userAgent.get(), 256) : null);
    }

    @Override
    public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
        JdbiAccountService.checkPaging(offset, limit);
        String where = identity.isPresent() ? " WHERE claimed_identity = :identity" : "";
        return jdbi.withHandle(h -> {
            long total = bindIdentity(h.createQuery("SELECT count(*) FROM auth_attempt" + where), identity)
                    .mapTo(Long.class).one();
            List<AuthAttempt> items = bindIdentity(h.createQuery("SELECT " + COLUMNS + " FROM auth_attempt" + where
                    + " ORDER BY id DESC LIMIT :limit OFFSET :offset"), identity)
                    .bind("limit", limit).bind("offset", offset)
                    .map((rs, ctx) -> read(rs)).list();
            return new Page<>(items, offset, limit, total);
        });
    }

    @Override
    public List<AuthAttempt> concerning(Collection<String> identities) {
        if (identities.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM auth_attempt "
                        + "WHERE LOWER(claimed_identity) IN (<identities>) ORDER BY id DESC")
                .bindList("identities", lower(identities)).map((rs, ctx) -> read(rs)).list());
    }

    @Override
    public int forget(Collection<String> identities) {
        if (identities.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM auth_attempt WHERE LOWER(claimed_identity) IN (<identities>)")
                .bindList("identities", lower(identities)).execute());
    }

    private static List<String> lower(Collection<String> identities) {
        return identities.stream().map(i -> i.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static Query bindIdentity(Query query, Optional<String> identity) {
        return identity.map(value -> query.bind("identity", value)).orElse(query);
    }

    private static AuthAttempt read(ResultSet rs) throws SQLException {
        return new AuthAttempt(SqlTime.read(rs, "attempted_at"), rs.getString("claimed_identity"),
                rs.getBoolean("succeeded"), rs.getString("reason"), rs.getString("door"),
                rs.getString("source_address"), rs.getString("transport"),
                Optional.ofNullable(rs.getString("user_agent")));
    }

    private static String clip(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
