package org.parley.messaging.store;

import java.time.Duration;
import org.parley.config.Config;

/**
 * How usage records reach the database (PP2-6, PP-49), see {@link GroupCommitUsageLog}.
 *
 * @param flushWindow how long a record may wait in memory before its batch is committed: the most a
 *                    crash can lose; zero = every request waits for its record's commit (nothing lost)
 * @param capacity    records held in memory at most; beyond it requests wait for the database
 */
public record UsageJournalSettings(Duration flushWindow, int capacity) {
    /** The {@code messaging.usage.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static UsageJournalSettings from(Config c) {
        return new UsageJournalSettings(Duration.ofMillis(c.nonNegative("messaging.usage.flush-window-ms")),
                c.positive("messaging.usage.queue-records"));
    }
}
