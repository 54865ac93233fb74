package org.parley.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subscriber account. The identities that reach it are the user name, the E.164 number
 * (PP-45) and every alias (PP2-24, PP2-25). Never carries the password: only digest HA1
 * hashes are stored, see {@link DigestCredentials}.
 */
public record Account(long id, String username, String displayName, Optional<String> e164,
                      List<String> aliases, Instant created) {
    public Account {
        aliases = List.copyOf(aliases);
    }
}
