package org.parley.accounts;

import java.util.List;
import java.util.Optional;

/** A partial update: an empty field is left as it is. */
public record AccountUpdate(Optional<String> password, Optional<String> displayName,
                            Optional<String> e164, Optional<List<String>> aliases) {
    public static AccountUpdate password(String password) {
        return new AccountUpdate(Optional.of(password), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
