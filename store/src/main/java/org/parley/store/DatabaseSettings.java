package org.parley.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.parley.config.Config;

/**
 * Where the data lives: an operator-supplied JDBC URL (PostgreSQL in production) or, when there is
 * none, an embedded H2 database file under {@code dataDir}. {@code dataDir} may be null only when a
 * URL is given.
 */
public record DatabaseSettings(Optional<String> url, String user, String password, Path dataDir, int poolSize) {
    static final int POOL_SIZE = 10;

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

    /**
     * The {@code db.*} keys: without {@code db.url}, the embedded database in {@code dataDir}.
     *
     * @param dataDir where the server keeps its files ({@code data.dir}): the embedded database goes
     *                into its {@code db} directory
     */
    public static DatabaseSettings from(Config c, Path dataDir) {
        return new DatabaseSettings(c.optional("db.url"), c.string("db.user"), c.string("db.password"),
                dataDir.resolve("db"), POOL_SIZE);
    }

    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(Optional.empty(), "parley", "", dataDir, POOL_SIZE);
    }

    public static DatabaseSettings external(String url, String user, String password) {
        return new DatabaseSettings(Optional.of(url), user, password, null, POOL_SIZE);
    }

    /** Without the password: settings end up in logs and error messages. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                + ", dataDir=" + dataDir + ", poolSize=" + poolSize + "]";
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
