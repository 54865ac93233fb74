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
        String v = value.strip();
        if (v.isEmpty()) {
            throw new SipParseException(what + " is not a number");
        }
        // one pass, no regular expression or stream: this runs for every Content-Length and CSeq
        int start = 0;
        while (start < v.length() - 1 && v.charAt(start) == '0') {
            start++;
        }
        for (int i = 0; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) {
                throw new SipParseException(what + " is not a number");
            }
        }
        if (v.length() - start > 18) {
            throw new SipParseException(what + " out of range");
        }
        long n = Long.parseLong(v, start, v.length(), 10);
        if (n > max) {
            throw new SipParseException(what + " out of range");
        }
        return n;
    }
}
