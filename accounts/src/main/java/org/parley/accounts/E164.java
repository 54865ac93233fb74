package org.parley.accounts;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * E.164 numbers (MSISDN/MDN), the telephone identity of an account (PP-45). Accepts the spellings
 * people and tel URIs use ("+44 20 7946-0000", "tel:+44-20-7946-0000", "+442079460000") and
 * normalises them to "+" followed by the digits alone, the form stored and compared.
 */
public final class E164 {
    /** RFC 3966 visual separators, plus the spaces people type. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s.()\\-]");
    /** Country codes never start with 0; E.164 allows at most 15 digits. */
    private static final Pattern NORMALISED = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private E164() {
    }

    /** @throws IllegalArgumentException with a message fit for the user when it is not an E.164 number */
    public static String normalize(String input) {
        String number = input.strip();
        if (number.toLowerCase(Locale.ROOT).startsWith("tel:")) {
            number = number.substring(4);
            int parameters = number.indexOf(';');
            if (parameters >= 0) {
                number = number.substring(0, parameters);
            }
        }
        number = SEPARATORS.matcher(number).replaceAll("");
        if (!number.startsWith("+")) {
            throw new IllegalArgumentException("an E.164 number starts with '+' and the country code: " + input);
        }
        if (!NORMALISED.matcher(number).matches()) {
            throw new IllegalArgumentException(
                    "an E.164 number is '+' and 2 to 15 digits, the first not 0: " + input);
        }
        return number;
    }

    public static Optional<String> parse(String input) {
        try {
            return Optional.of(normalize(input));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the input is meant as a number rather than a name, so lookups know which kind to try. */
    static boolean looksLikeNumber(String input) {
        String s = input.strip();
        return s.startsWith("+") || s.toLowerCase(Locale.ROOT).startsWith("tel:");
    }
}
