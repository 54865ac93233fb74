package org.parley.sip.message;

import java.util.ArrayList;
import java.util.List;

/** Helpers for header values that may carry several comma-separated elements (RFC 3261 §7.3.1). */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** Splits at commas that are outside quoted strings and angle brackets; trims each element. */
    public static List<String> splitCommas(String value) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        boolean angle = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == ',' && !angle) {
                out.add(value.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(value.substring(start).strip());
        for (String s : out) {
            if (s.isEmpty()) {
                throw new SipParseException("empty element in comma-separated header value");
            }
        }
        return out;
    }

    /**
     * Parses a non-negative decimal integer with an upper bound: leading zeros are fine (RFC 4475
     * §3.1.1.1), a value over the bound is a fault named by {@code what}.
     */
    public static long boundedNumber(String value, long max, String what) {
        return boundedNumber(value, 0, value.length(), max, what);
    }

    /** {@link #boundedNumber(String, long, String)} of {@code text[from, to)}, read where it stands. */
    static long boundedNumber(String text, int from, int to, long max, String what) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            throw new SipParseException(what + " is not a number");
        }
        // one pass, no copy, regular expression or stream: this runs for every CSeq
        int start = from;
        while (start < to - 1 && text.charAt(start) == '0') {
            start++;
        }
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                throw new SipParseException(what + " is not a number");
            }
        }
        if (to - start > 18) {
            throw new SipParseException(what + " out of range");
        }
        long n = Long.parseLong(text, start, to, 10);
        if (n > max) {
            throw new SipParseException(what + " out of range");
        }
        return n;
    }
}
