package org.parley.accounts;

import java.time.Duration;
import org.parley.config.Config;

/**
 * How auth attempts reach the database, see {@link GroupCommitAuthAttemptLog}.
 *
 * @param flushWindow how long an attempt may wait in memory before its batch is committed: the most a
 *                    crash can lose; zero = every login waits for its attempt's commit
 * @param capacity    attempts held in memory at most; beyond it logins wait for the database
 */
public record AuthAttemptJournalSettings(Duration flushWindow, int capacity) {
    /** The {@code auth.attempts.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static AuthAttemptJournalSettings from(Config c) {
        return new AuthAttemptJournalSettings(Duration.ofMillis(c.nonNegative("auth.attempts.flush-window-ms")),
                c.positive("auth.attempts.queue-records"));
    }
}
