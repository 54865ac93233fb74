package org.parley.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.testkit.DatabaseTarget;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.store.Bindings.NOW;
import static org.parley.store.Bindings.binding;

/**
 * The store itself (C1, MU-3): migrations run on an empty H2 or PostgreSQL and change nothing on
 * reopen, the embedded H2 lives under the data directory, and a second process (the CLI) can use
 * it while the server has it open.
 */
class DatabaseTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void migratesAnEmptyDatabaseAndReopensWithoutChange(DatabaseTarget target) throws SQLException {
        try (Database db = StoreTestSupport.open(target)) {
            assertThat(tables(db)).contains("account", "account_identity", "auth_attempt_block", "registration_binding");
        }
        try (Database db = StoreTestSupport.open(target)) {
            int accounts = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM account").mapTo(Integer.class).one());
            assertThat(accounts).isZero();
        }
    }

    @Test
    void withoutAUrlUsesAnEmbeddedH2FileUnderTheDataDirectory(@TempDir Path dataDir) {
        try (Database db = Database.open(DatabaseSettings.embedded(dataDir.resolve("data")))) {
            assertThat(db.url()).startsWith("jdbc:h2:file:" + dataDir.resolve("data").resolve("parley"))
                    .contains("AUTO_SERVER=TRUE", "MODE=PostgreSQL");
            assertThat(dataDir.resolve("data").resolve("parley.mv.db")).exists();
        }
    }

    /** The command line ({@code parley user add}) must reach the database while the server holds it open. */
    @Test
    void anotherProcessCanUseTheEmbeddedDatabaseWhileItIsOpen(@TempDir Path dataDir) throws Exception {
        DatabaseSettings settings = DatabaseSettings.embedded(dataDir);
        try (Database db = Database.open(settings)) {
            new BindingRepository(db).upsert(binding("sip:alice@example.com", "sip:alice@192.0.2.1", NOW));

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process other = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "org.h2.tools.Shell", "-url", settings.jdbcUrl(), "-user", settings.user(),
                    "-password", settings.password(), "-sql", "SELECT count(*) AS bindings FROM registration_binding"))
                    .redirectErrorStream(true).start();
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).as(output).containsPattern("(?m)^1\\s*$");
        }
    }

    @Test
    void settingsNeedAUrlOrADataDirectory() {
        assertThatThrownBy(() -> new DatabaseSettings(Optional.empty(), "u", "", null, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> tables(Database db) throws SQLException {
        return db.jdbi().withHandle(h -> {
            ResultSet rs = h.getConnection().getMetaData().getTables(null, null, "%", new String[] {"TABLE"});
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
            return names;
        });
    }
}
