package org.parley.testkit;

/**
 * One empty database a test may use: a fresh H2 (PostgreSQL mode) or a fresh database on a real
 * PostgreSQL server. {@link #toString()} is the name, so {@code @ParameterizedTest(name = "{0}")}
 * reads "H2" / "PostgreSQL".
 */
public record DatabaseTarget(String name, String jdbcUrl, String user, String password) {
    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return name;
    }
}
