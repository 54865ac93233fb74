package org.parley.store;

import org.jdbi.v3.core.argument.Argument;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

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

    public static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
