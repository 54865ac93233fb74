package org.parley.msrp.sdp;

import java.util.List;
import java.util.regex.Pattern;

/** Lexical pieces of RFC 4566 §9 shared by the line parsers of this package. */
final class Sdp {
    /** token-char of RFC 4566 §9 (the same set as RFC 3261's token). */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`{|}~]+");
    static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private Sdp() {
    }

    /** The fields of a line separated by single spaces; an empty field (two spaces) is kept, so callers refuse it. */
    static List<String> fields(String value) {
        return List.of(value.split(" ", -1));
    }

    static long number(String text, String line) throws MalformedSdp {
        if (!DIGITS.matcher(text).matches()) {
            throw MalformedSdp.syntax("not a number in " + line);
        }
        return Long.parseLong(text);
    }
}
