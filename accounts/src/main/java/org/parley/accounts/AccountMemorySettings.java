package org.parley.accounts;

import java.time.Duration;
import org.parley.config.Config;

/**
 * How the server holds accounts in memory, see {@link AccountMemory}.
 *
 * @param changePoll how often the change marker is read: the longest a change made by another process
 *                   ({@code parley user ...}) takes to be seen
 * @param maxEntries look-ups kept at most per kind (by user name, by identity, credentials); beyond
 *                   it the memory starts afresh, which only costs reloads
 */
public record AccountMemorySettings(Duration changePoll, int maxEntries) {
    /** The {@code accounts.memory.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static AccountMemorySettings from(Config c) {
        return new AccountMemorySettings(Duration.ofMillis(c.positive("accounts.memory.change-poll-ms")),
                c.positive("accounts.memory.max-entries"));
    }
}
