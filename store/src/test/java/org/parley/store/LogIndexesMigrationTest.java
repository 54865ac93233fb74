package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * V13 leaves the append-only logs only the indexes their listings walk (issue 13: each index costs
 * the group-commit writer about as much as the row): on a database with records already, every row
 * stays, the per-address indexes are gone and the time indexes remain.
 */
@DisplayName("PP2-6, PP-49, GS-1: V13 keeps every usage record and auth attempt and only the time indexes")
class LogIndexesMigrationTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6, GS-1, issue 13: records made before V13 are all there after it, found through the time index")
    void keepsTheRowsAndDropsThePerAddressIndexes(DatabaseTarget target) throws SQLException {
        Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration").target("12").load().migrate();
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = c.createStatement()) {
            assertThat(indexes(c, "usage_record")).contains("usage_record_sender_time", "usage_record_recipient_time");
            assertThat(indexes(c, "auth_attempt")).contains("auth_attempt_identity_time");
            for (int i = 0; i < 3; i++) {
                s.execute("INSERT INTO usage_record (occurred_at, event, sender, recipient, size, content_type, "
                        + "sent_at, message_ref) VALUES (TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:0" + i + "+00', "
                        + "'ACCEPTED', 'sip:a@x', 'sip:b@x', " + i + ", 'text/plain', "
                        + "TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 'm-" + i + "')");
                s.execute("INSERT INTO auth_attempt (attempted_at, claimed_identity, succeeded, reason, door, "
                        + "source_address, transport) VALUES (TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:0" + i
                        + "+00', 'alice', TRUE, 'ok', 'sip-register', '192.0.2.1:5060', 'UDP')");
            }
        }

        // V13 alone: V16 later replaces the time indexes by time-ordered keys (TimeKeyedLogsMigrationTest)
        Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration").target("13").load().migrate();
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = c.createStatement()) {
            assertThat(indexes(c, "usage_record")).contains("usage_record_time")
                    .doesNotContain("usage_record_sender_time", "usage_record_recipient_time");
            assertThat(indexes(c, "auth_attempt")).contains("auth_attempt_time")
                    .doesNotContain("auth_attempt_identity_time");
            List<String> alices = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT message_ref FROM usage_record "
                    + "WHERE sender = 'sip:a@x' ORDER BY occurred_at, id")) {
                while (rs.next()) {
                    alices.add(rs.getString(1));
                }
            }
            assertThat(alices).containsExactly("m-0", "m-1", "m-2");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM auth_attempt WHERE claimed_identity = 'alice'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
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
