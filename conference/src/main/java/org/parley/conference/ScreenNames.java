package org.parley.conference;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Screen names (UC 5.17): letters, digits, '.', '_' and '-', up to 32 — safe in a SIP display
 * name, a pager command and a conference-info entity without escaping. A name that is taken gets
 * a free one suggested: the same with the first free number after it.
 */
final class ScreenNames {
    static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N}._-]{1,32}");

    private ScreenNames() {
    }

    static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** A display name made fit to be a screen name: spaces become '_', the rest that does not fit goes. */
    static Optional<String> fromDisplayName(String displayName) {
        StringBuilder b = new StringBuilder();
        displayName.strip().codePoints().forEach(c -> {
            if (Character.isWhitespace(c)) {
                b.append('_');
            } else if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') {
                b.appendCodePoint(c);
            }
        });
        String s = b.length() > 32 ? b.substring(0, 32) : b.toString();
        return valid(s) ? Optional.of(s) : Optional.empty();
    }

    static String suggest(String taken, Predicate<String> isTaken) {
        String base = taken.length() > 28 ? taken.substring(0, 28) : taken;
        for (int i = 2; ; i++) {
            String candidate = base + i;
            if (!isTaken.test(candidate)) {
                return candidate;
            }
        }
    }
}
