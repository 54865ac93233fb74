package org.parley.accounts.digest;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a Digest credentials header (RFC 7616 §3.4; RFC 3261 §25.1 grammar): names
 * lower-cased, quoted values unquoted.
 */
public record DigestParams(Map<String, String> values) {
    private static final String SCHEME = "Digest";
    /** The names RFC 7616 §3.4 gives credentials, lower-case: found in place, neither cut out nor lower-cased. */
    private static final String[] KNOWN = {"username", "realm", "nonce", "uri", "response", "algorithm", "cnonce",
        "nc", "qop", "opaque", "userhash"};

    /**
     * Every authenticated request parses one of these, so values are cut out of the header as they
     * stand (a builder only for a quoted value with escapes) into one map.
     */
    public static Optional<DigestParams> parse(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        if (sp != SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, sp)) {
            return Optional.empty();
        }
        Map<String, String> out = new HashMap<>();
        int i = sp + 1;
        int n = h.length();
        while (i < n) {
            while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == ',' || h.charAt(i) == '\t')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = name(h, i, eq);
            i = eq + 1;
            while (i < n && h.charAt(i) == ' ') {
                i++;
            }
            String value;
            if (i < n && h.charAt(i) == '"') {
                int begin = ++i;
                StringBuilder escaped = null;
                while (i < n && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < n) {
                        if (escaped == null) {
                            escaped = new StringBuilder().append(h, begin, i);
                        }
                        i++;
                    }
                    if (escaped != null) {
                        escaped.append(h.charAt(i));
                    }
                    i++;
                }
                if (i >= n) {
                    return Optional.empty();
                }
                value = escaped == null ? h.substring(begin, i) : escaped.toString();
                i++;
            } else {
                int comma = h.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                int last = end;
                while (last > i && Character.isWhitespace(h.charAt(last - 1))) {
                    last--;
                }
                value = h.substring(i, last);
                i = end;
            }
            out.put(name, value.strip());
        }
        return Optional.of(new DigestParams(Collections.unmodifiableMap(out)));
    }

    /** The parameter name between {@code from} and {@code to}, blanks around it dropped, lower-cased. */
    private static String name(String h, int from, int to) {
        while (from < to && Character.isWhitespace(h.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(h.charAt(to - 1))) {
            to--;
        }
        int length = to - from;
        for (String known : KNOWN) {
            if (known.length() == length && asciiCaseless(h, from, known)) {
                return known;
            }
        }
        return h.substring(from, to).toLowerCase(Locale.ROOT);
    }

    /**
     * Whether {@code h} holds {@code lower} at {@code from}, ASCII letters in either case — only
     * those: {@code regionMatches(true, ...)} would also take e.g. a dotless ı for an i, which
     * lower-casing the name (the rule for unknown names) does not.
     */
    private static boolean asciiCaseless(String h, int from, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            char c = h.charAt(from + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** As {@link #get}, null when absent: for the check every request makes, which wraps nothing. */
    String valueOf(String name) {
        return values.get(name);
    }
}
