package org.parley.testkit;

/**
 * The one PostgreSQL server of this JVM's tests: the one named by the environment, or else an
 * embedded one. A failed start is remembered, so every later PostgreSQL test fails at once with
 * the same explanation instead of retrying for minutes.
 */
final class PostgresServers {
    static final String URL_ENV = "PARLEY_TEST_PG_URL";
    static final String USER_ENV = "PARLEY_TEST_PG_USER";
    static final String PASSWORD_ENV = "PARLEY_TEST_PG_PASSWORD";

    private static PostgresServer shared;
    private static RuntimeException failure;

    private PostgresServers() {
    }

    static synchronized PostgresServer shared() {
        if (shared == null) {
            if (failure != null) {
                throw new IllegalStateException("PostgreSQL for the tests is unavailable: " + failure.getMessage(), failure);
            }
            try {
                shared = start();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return shared;
    }

    private static PostgresServer start() {
        String url = System.getenv(URL_ENV);
        if (url != null && !url.isBlank()) {
            PostgresServer server = new PostgresServer(url, envOr(USER_ENV, "postgres"), envOr(PASSWORD_ENV, ""));
            Runtime.getRuntime().addShutdownHook(new Thread(server::dropCreatedDatabases, "parley-test-pg-cleanup"));
            return server;
        }
        EmbeddedPostgresProcess process = EmbeddedPostgresProcess.start();
        return new PostgresServer(process.adminUrl(), EmbeddedPostgresProcess.SUPERUSER, "");
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
