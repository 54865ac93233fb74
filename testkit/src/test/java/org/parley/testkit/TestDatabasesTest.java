package org.parley.testkit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class TestDatabasesTest {
    @Test
    void offersH2AndARealPostgres() {
        assertThat(TestDatabases.all().map(DatabaseTarget::name)).containsExactly("H2", "PostgreSQL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void eachTargetIsAFreshEmptyDatabase(DatabaseTarget db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO probe VALUES (1)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM probe")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void postgresIsTheRealThing() throws SQLException {
        DatabaseTarget db = TestDatabases.postgres();
        assertThat(db.isPostgres()).isTrue();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
    }
}
