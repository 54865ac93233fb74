package org.parley.store;

import java.sql.SQLException;

/** Recognises a unique-key violation, which H2 and PostgreSQL both report as SQLSTATE 23505. */
public final class UniqueViolations {
    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    public static boolean isUniqueViolation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
