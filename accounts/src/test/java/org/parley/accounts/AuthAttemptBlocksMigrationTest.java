package org.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

/**
 * V17 turns the auth attempt rows into blocks of text lines (issue 13): every attempt made before it
 * is read back the same, to the microsecond, with what peers sent in its values, and the writer's
 * blocks follow the migrated ones.
 */
@DisplayName("C1, GS-1, issue 13: V17 keeps every auth attempt, its time and its values when the rows become blocks")
class AuthAttemptBlocksMigrationTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void rowsBecomeBlocksOfOne(DatabaseTarget target) throws SQLException {
        Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration").target("16").load().migrate();
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = c.createStatement()) {
            // keys as V16's writer made them: the microsecond times 2048 plus a sequence
            s.execute("INSERT INTO auth_attempt (id, attempted_at, claimed_identity, succeeded, reason, door, "
                    + "source_address, transport, user_agent) VALUES (" + 1740830400123456L * 2048 + ", "
                    + "TIMESTAMP WITH TIME ZONE '2025-03-01 12:00:00.123456+00', 'alice', TRUE, 'ok', 'sip-register', "
                    + "'192.0.2.5:5060', 'UDP', 'Phone/1.0')");
            s.execute("INSERT INTO auth_attempt (id, attempted_at, claimed_identity, succeeded, reason, door, "
                    + "source_address, transport, user_agent) VALUES (" + (1740830400123456L * 2048 + 1) + ", "
                    + "TIMESTAMP WITH TIME ZONE '2025-03-01 14:00:00.123456+02', 'b' || CHR(9) || 'o\\b' || CHR(10) || CHR(13), "
                    + "FALSE, 'bad-password', 'http-admin', '[2001:db8::1]:443', 'TLS', NULL)");
            s.execute("INSERT INTO auth_attempt (id, attempted_at, claimed_identity, succeeded, reason, door, "
                    + "source_address, transport, user_agent) VALUES (" + (-14182940000000L * 2048) + ", "
                    + "TIMESTAMP WITH TIME ZONE '1969-07-20 20:17:40+00', 'eagle', TRUE, 'ok', 'xcap', 'moon', 'TCP', '\\N')");
        }

        try (Database db = AccountServiceTest.open(target)) {
            JdbiAuthAttemptLog log = new JdbiAuthAttemptLog(db);
            AuthAttempt alice = new AuthAttempt(Instant.parse("2025-03-01T12:00:00.123456Z"), "alice", true, "ok",
                    "sip-register", "192.0.2.5:5060", "UDP", Optional.of("Phone/1.0"));
            AuthAttempt bob = new AuthAttempt(Instant.parse("2025-03-01T12:00:00.123456Z"), "b\to\\b\n\r", false,
                    "bad-password", "http-admin", "[2001:db8::1]:443", "TLS", Optional.empty());
            AuthAttempt eagle = new AuthAttempt(Instant.parse("1969-07-20T20:17:40Z"), "eagle", true, "ok", "xcap",
                    "moon", "TCP", Optional.of("\\N"));
            assertThat(log.list(Optional.empty(), 0, 10).items()).containsExactly(bob, alice, eagle);

            AuthAttempt later = new AuthAttempt(Instant.parse("2025-03-01T12:00:00.123456Z"), "carol", true, "ok",
                    "sip-register", "192.0.2.6:5060", "UDP", Optional.empty());
            log.record(later);
            assertThat(log.list(Optional.empty(), 0, 10).items()).as("after the migrated ones, in the same microsecond too")
                    .containsExactly(later, bob, alice, eagle);
            assertThat(log.forget(java.util.List.of("ALICE", "eagle"))).isEqualTo(2);
            assertThat(log.list(Optional.empty(), 0, 10).items()).containsExactly(later, bob);
        }
    }
}
