package org.parley.messaging.store;

import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

final class StoreTestDatabases {
    private StoreTestDatabases() {
    }

    static Database open(DatabaseTarget target) {
        return Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
    }
}
