package org.parley.testkit;

/** Rewrites PostgreSQL JDBC URLs so that one server URL can name each test database. */
final class JdbcUrls {
    private static final String PREFIX = "jdbc:postgresql:";

    private JdbcUrls() {
    }

    /** The same server, host list and parameters as {@code url}, with {@code database} in place of its database. */
    static String withDatabase(String url, String database) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        String rest = url.substring(PREFIX.length());
        int query = rest.indexOf('?');
        String params = query < 0 ? "" : rest.substring(query);
        String location = query < 0 ? rest : rest.substring(0, query);
        if (!location.startsWith("//")) {
            return PREFIX + database + params;
        }
        int slash = location.indexOf('/', 2);
        String hosts = slash < 0 ? location : location.substring(0, slash);
        return PREFIX + hosts + "/" + database + params;
    }
}
