package org.parley.accounts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax of user names and aliases. Deliberately narrower than an RFC 3261 user part: only
 * characters that need no escaping in a SIP URI, an XCAP path or a URL, so an identity is spelled
 * the same everywhere. Case-insensitive: the lower-case form is the one stored and compared.
 */
final class IdentityNames {
    static final int MAX_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._~-]{0,63}");

    private IdentityNames() {
    }

    /** @throws AccountException INVALID, naming {@code what} ("user name", "alias") */
    static String normalize(String what, String input) {
        return canonical(input).orElseThrow(() -> new AccountException(AccountException.Kind.INVALID,
                what + " must be 1 to " + MAX_LENGTH + " characters of letters, digits and . _ ~ -"
                        + ", starting with a letter or digit: '" + input + "'"));
    }

    static Optional<String> canonical(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String name = input.strip().toLowerCase(Locale.ROOT);
        return NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }
}
