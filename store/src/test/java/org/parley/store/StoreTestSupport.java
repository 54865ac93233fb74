package org.parley.store;

import org.parley.testkit.DatabaseTarget;

import java.util.Optional;

/** Test support for the RFC 3261 §10 binding tests. */
final class StoreTestSupport {
    private StoreTestSupport() {
    }

    static Database open(DatabaseTarget target) {
        return Database.open(new DatabaseSettings(Optional.of(target.jdbcUrl()), target.user(), target.password(), null, 4));
    }
}
