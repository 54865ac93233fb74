package org.parley.accounts;

import java.util.List;
import java.util.Optional;

/** What a caller supplies to create an account; the password is hashed on the way in and then forgotten. */
public record NewAccount(String username, String password, Optional<String> displayName,
                         Optional<String> e164, List<String> aliases) {
    public NewAccount {
        aliases = List.copyOf(aliases);
    }
}
