package org.parley.messaging.store;

import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

/** Opens the H2 and PostgreSQL targets for the store tests of MU-3 and PP2-6. */
final class StoreTestDatabases {
    private StoreTestDatabases() {
    }

    static Database open(DatabaseTarget target) {
        return Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
    }
}
