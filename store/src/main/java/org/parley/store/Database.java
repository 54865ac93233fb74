package org.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The server's database: a connection pool on H2 or PostgreSQL, migrated to the current schema
 * before anyone uses it. One instance per process; close it on shutdown.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    static {
        // H2 shares equal values through a process-wide cache (Value.cache): every string and time
        // bound to a statement is hashed, compared and kept there, a tenth of the log writers' CPU per
        // record (issue 13) and young values kept alive, for a saving of memory Parley has no use of
        // (its values are mostly unique). Read once, when H2 first loads: an operator's -D wins.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String url;

    private Database(HikariDataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.url = url;
    }

    /** Opens the pool and applies any pending migrations from {@code classpath:db/migration}. */
    public static Database open(DatabaseSettings settings) {
        if (settings.url().isEmpty()) {
            try {
                Files.createDirectories(settings.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create data directory " + settings.dataDir(), e);
            }
        }
        String url = settings.jdbcUrl();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("parley-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.info("Database {} at schema version {} ({} migrations applied)",
                    redacted(url), result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, url);
    }

    /** Operators may put credentials in the URL; they must not reach the log. */
    private static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
