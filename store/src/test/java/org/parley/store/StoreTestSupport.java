package org.parley.store;

import org.parley.testkit.DatabaseTarget;

import java.util.Optional;

final class StoreTestSupport {
    private StoreTestSupport() {
    }

    static Database open(DatabaseTarget target) {
        return Database.open(new DatabaseSettings(Optional.of(target.jdbcUrl()), target.user(), target.password(), null, 4));
    }
}
