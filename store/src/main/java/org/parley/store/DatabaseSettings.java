package org.parley.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the data lives: an operator-supplied JDBC URL (PostgreSQL in production) or, when there is
 * none, an embedded H2 database file under {@code dataDir}. {@code dataDir} may be null only when a
 * URL is given.
 */
public record DatabaseSettings(Optional<String> url, String user, String password, Path dataDir, int poolSize) {
    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (url.isEmpty() && dataDir == null) {
            throw new IllegalArgumentException("either a JDBC URL or a data directory is needed");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, was " + poolSize);
        }
    }

    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(Optional.empty(), "parley", "", dataDir, 10);
    }

    public static DatabaseSettings external(String url, String user, String password) {
        return new DatabaseSettings(Optional.of(url), user, password, null, 10);
    }

    /**
     * The URL actually used. The embedded file is opened with AUTO_SERVER so that a second process
     * (the {@code parley user add} command line) can use it while the server has it open;
     * WRITE_DELAY=0 makes a commit reach the file before it returns — H2's default delays writes
     * by half a second, and a message answered 202 must survive a kill -9 (CrashSafetyTest); the
     * other options make H2 behave like PostgreSQL, so one set of SQL serves both.
     */
    public String jdbcUrl() {
        return url.orElseGet(() -> "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;WRITE_DELAY=0");
    }
}
