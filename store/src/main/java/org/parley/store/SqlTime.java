package org.parley.store;

import org.jdbi.v3.core.argument.Argument;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Instants to and from TIMESTAMP WITH TIME ZONE columns, through OffsetDateTime (JDBC 4.2) rather
 * than java.sql.Timestamp, so the JVM's default time zone can never shift a value. Truncated to
 * microseconds, the precision both H2 and PostgreSQL keep, so that what is read equals what was written.
 */
public final class SqlTime {
    private SqlTime() {
    }

    public static Argument argument(Instant instant) {
        OffsetDateTime value = value(instant);
        return (position, statement, ctx) -> statement.setObject(position, value);
    }

    /** The value to bind with plain JDBC ({@code setObject}). */
    public static OffsetDateTime value(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /**
     * How the log writers bind a time with plain JDBC on {@code database}: H2 makes its own
     * TIMESTAMP WITH TIME ZONE value of an Instant with a little arithmetic, where an OffsetDateTime
     * costs four objects and a calendar conversion each way (a twentieth of the usage writer's CPU,
     * issue 13); the PostgreSQL driver takes only the OffsetDateTime. Both are kept at UTC, to the
     * microsecond.
     */
    public static Function<Instant, Object> binding(Database database) {
        return database.url().startsWith("jdbc:h2:") ? instant -> instant.truncatedTo(ChronoUnit.MICROS) : SqlTime::value;
    }

    public static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
