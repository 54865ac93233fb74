package org.parley.server;

import org.parley.store.Database;
import org.parley.store.DatabaseSettings;

/** Opens the configured database, the same way for the server and for the command-line tools. */
final class Stores {
    private static final int POOL_SIZE = 10;

    private Stores() {
    }

    static Database open(ServerSettings settings) {
        ServerSettings.Db db = settings.db();
        return Database.open(new DatabaseSettings(db.url(), db.user(), db.password().reveal(),
                settings.dataDir().resolve("db"), POOL_SIZE));
    }
}
