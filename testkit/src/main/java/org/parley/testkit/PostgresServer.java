package org.parley.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server reachable through an administrative JDBC URL, on which tests get databases
 * of their own. The run id in every name keeps concurrent test JVMs on one server apart.
 */
final class PostgresServer {
    private final String adminUrl;
    private final String user;
    private final String password;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger counter = new AtomicInteger();
    private final List<String> created = new CopyOnWriteArrayList<>();

    PostgresServer(String adminUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    DatabaseTarget createDatabase() {
        String name = ("parley_" + runId + "_" + counter.incrementAndGet()).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + adminUrl
                    + " (the user needs CREATEDB): " + e.getMessage(), e);
        }
        created.add(name);
        return new DatabaseTarget("PostgreSQL", JdbcUrls.withDatabase(adminUrl, name), user, password);
    }

    /** Drops what this JVM created: needed on a shared server, pointless on a throw-away one. */
    void dropCreatedDatabases() {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
             Statement s = c.createStatement()) {
            for (String name : created) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("parley-testkit: could not drop test databases on " + adminUrl + ": " + e.getMessage());
        }
    }
}
