package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.testkit.DatabaseTarget;

/**
 * V16 keys the append-only logs by time (issue 13): on a database with records already, every row
 * stays, re-keyed so that its key lies in its microsecond and rows of one microsecond keep their
 * order; the time indexes are gone and the writer's keys follow the migrated ones.
 */
@DisplayName("PP2-6, PP-49, GS-1, issue 13: V16 re-keys every usage record and auth attempt by time and drops the time indexes")
class TimeKeyedLogsMigrationTest {
    private static final String[] TIMES = {
        "2025-01-01 00:00:02.5+00", "2025-01-01 00:00:00.000001+00", "2025-01-01 02:00:01.25+02",
        "2025-01-01 00:00:01.25+00", "2024-12-31 23:59:59.999999+00"};

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6, GS-1, issue 13: records made before V16 are all there after it, in (time, arrival) order by key")
    void reKeysTheRowsByTimeThenArrival(DatabaseTarget target) throws SQLException {
        Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration").target("15").load().migrate();
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = c.createStatement()) {
            assertThat(indexes(c, "usage_record")).contains("usage_record_time");
            assertThat(indexes(c, "auth_attempt")).contains("auth_attempt_time");
            // arrival order (identity) differs from time order; two rows share a microsecond (00:00:01.25)
            for (int i = 0; i < TIMES.length; i++) {
                s.execute("INSERT INTO usage_record (occurred_at, event, sender, recipient, size, content_type, "
                        + "sent_at, message_ref) VALUES (TIMESTAMP WITH TIME ZONE '" + TIMES[i] + "', 'DELIVERED', "
                        + "'sip:a@x', 'sip:b@x', " + i + ", 'text/plain', TIMESTAMP WITH TIME ZONE '" + TIMES[i]
                        + "', 'm-" + i + "')");
                s.execute("INSERT INTO auth_attempt (attempted_at, claimed_identity, succeeded, reason, door, "
                        + "source_address, transport) VALUES (TIMESTAMP WITH TIME ZONE '" + TIMES[i]
                        + "', 'alice-" + i + "', TRUE, 'ok', 'sip-register', '192.0.2.1:5060', 'UDP')");
            }
        }

        // to V16 only: V17 turns the attempts into blocks (AuthAttemptBlocksMigrationTest in accounts)
        Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration").target("16").load().migrate();
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
            assertThat(indexes(c, "usage_record")).doesNotContain("usage_record_time");
            assertThat(indexes(c, "auth_attempt")).doesNotContain("auth_attempt_time");
            // time order, the two rows of one microsecond in their old order (m-2 was made before m-3)
            List<String> expected = List.of("4", "1", "2", "3", "0");
            assertThat(keyed(c, "SELECT id, occurred_at, message_ref FROM usage_record ORDER BY id"))
                    .extracting(Keyed::name).containsExactlyElementsOf(expected.stream().map(i -> "m-" + i).toList());
            assertThat(keyed(c, "SELECT id, attempted_at, claimed_identity FROM auth_attempt ORDER BY id"))
                    .extracting(Keyed::name).containsExactlyElementsOf(expected.stream().map(i -> "alice-" + i).toList());
            for (String table : List.of("SELECT id, occurred_at, message_ref FROM usage_record",
                    "SELECT id, attempted_at, claimed_identity FROM auth_attempt")) {
                List<Keyed> rows = keyed(c, table + " ORDER BY id");
                for (Keyed k : rows) {
                    assertThat(k.id() - TimeKeys.first(k.at())).as(k.name()).isBetween(0L, 1L);
                }
                assertThat(rows.get(3).id()).isEqualTo(rows.get(2).id() + 1);
            }

            // the writer's keys go on after the migrated ones, in the same microsecond too
            Instant shared = Instant.parse("2025-01-01T00:00:01.25Z");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO auth_attempt (id, attempted_at, "
                    + "claimed_identity, succeeded, reason, door, source_address, transport) "
                    + "VALUES (?, ?, 'bob', TRUE, 'ok', 'sip-register', '192.0.2.1:5060', 'UDP')")) {
                new TimeKeys("auth_attempt").insertOne(c, insert, shared, shared,
                        (statement, p, at) -> statement.setObject(p, SqlTime.value(at)));
            }
            List<Keyed> attempts = keyed(c, "SELECT id, attempted_at, claimed_identity FROM auth_attempt ORDER BY id");
            assertThat(attempts.get(4).name()).isEqualTo("bob");
            assertThat(attempts.get(4).id()).isEqualTo(TimeKeys.first(shared) + 2);

            // no identity left: a row without its key is refused rather than keyed out of time order
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("INSERT INTO usage_record (occurred_at, event, sender, recipient, "
                        + "size, content_type, sent_at, message_ref) VALUES (CURRENT_TIMESTAMP, 'DELIVERED', "
                        + "'sip:a@x', 'sip:b@x', 0, 'text/plain', CURRENT_TIMESTAMP, 'no-key')"))
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    private record Keyed(long id, Instant at, String name) {
    }

    private static List<Keyed> keyed(Connection c, String sql) throws SQLException {
        List<Keyed> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(new Keyed(rs.getLong(1), SqlTime.read(rs, rs.getMetaData().getColumnName(2)), rs.getString(3)));
            }
        }
        return rows;
    }

    /** The table's index names, lower case, from the driver's metadata (the same call on both databases). */
    private static Set<String> indexes(Connection c, String table) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
            while (rs.next()) {
                if (rs.getString("INDEX_NAME") != null) {
                    names.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
