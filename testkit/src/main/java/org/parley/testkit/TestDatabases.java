package org.parley.testkit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The databases every storage test runs against: H2 in PostgreSQL mode (what a default
 * installation uses) and a real PostgreSQL (what an operator may configure instead).
 *
 * <p>Each call hands out new, empty databases, so a {@code @MethodSource} gets fresh ones per
 * test method and a {@code @BeforeAll} gets them per test class:
 * <pre>{@code
 * @ParameterizedTest(name = "{0}")
 * @MethodSource("org.parley.testkit.TestDatabases#all")
 * void works(DatabaseTarget db) { ... }
 * }</pre>
 *
 * <p>PostgreSQL is the server named by {@code PARLEY_TEST_PG_URL} (with {@code PARLEY_TEST_PG_USER},
 * {@code PARLEY_TEST_PG_PASSWORD}; the user needs CREATEDB) or else one embedded server per JVM,
 * started on first use. When neither can be had the test fails; it is never skipped.
 */
public final class TestDatabases {
    /** Same compatibility options as the server's embedded H2 (org.parley.store.Database). */
    private static final String H2_OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private static final AtomicInteger H2_COUNTER = new AtomicInteger();

    private TestDatabases() {
    }

    /** A fresh H2 and a fresh PostgreSQL database, created lazily in that order. */
    public static Stream<DatabaseTarget> all() {
        return Stream.<Supplier<DatabaseTarget>>of(TestDatabases::h2, TestDatabases::postgres)
                .map(Supplier::get);
    }

    /**
     * A fresh in-memory H2 database. It lives until the JVM ends (DB_CLOSE_DELAY=-1), so a test
     * can close its pool and reopen the same database to check that data survives a restart.
     */
    public static DatabaseTarget h2() {
        String url = "jdbc:h2:mem:parley_test_" + H2_COUNTER.incrementAndGet() + H2_OPTIONS;
        return new DatabaseTarget("H2", url, "sa", "");
    }

    /** A fresh, empty database on the test PostgreSQL server. */
    public static DatabaseTarget postgres() {
        return PostgresServers.shared().createDatabase();
    }
}
