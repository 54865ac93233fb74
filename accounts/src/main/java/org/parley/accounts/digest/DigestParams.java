package org.parley.accounts.digest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a Digest credentials header (RFC 7616 §3.4; RFC 3261 §25.1 grammar): names
 * lower-cased, quoted values unquoted. A name given twice keeps its last value.
 *
 * <p>Every authenticated request parses one, so the names RFC 7616 gives credentials have a slot
 * each in one array (no map, no hashing); other names, which clients rarely send, go into a map
 * made only for them.
 */
public final class DigestParams {
    private static final String SCHEME = "Digest";
    /** The names RFC 7616 §3.4 gives credentials, lower-case: found in place, neither cut out nor lower-cased. */
    private static final String[] KNOWN = {"username", "realm", "nonce", "uri", "response", "algorithm", "cnonce",
        "nc", "qop", "opaque", "userhash"};

    /** The values of {@link #KNOWN}'s names, at their places; null when absent. */
    private final String[] known = new String[KNOWN.length];
    /** The other names' values, null while there is none. */
    private Map<String, String> others;

    private DigestParams() {
    }

    /**
     * Every authenticated request parses one of these, so values are cut out of the header as they
     * stand (a builder only for a quoted value with escapes).
     */
    public static Optional<DigestParams> parse(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        if (sp != SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, sp)) {
            return Optional.empty();
        }
        DigestParams out = new DigestParams();
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
            int known = known(h, i, eq);
            String name = known >= 0 ? null : name(h, i, eq);
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
            out.put(known, name, value.strip());
        }
        return Optional.of(out);
    }

    /** The place in {@link #KNOWN} of the name between {@code from} and {@code to} (blanks around it dropped), or -1. */
    private static int known(String h, int from, int to) {
        while (from < to && Character.isWhitespace(h.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(h.charAt(to - 1))) {
            to--;
        }
        int length = to - from;
        for (int k = 0; k < KNOWN.length; k++) {
            if (KNOWN[k].length() == length && asciiCaseless(h, from, KNOWN[k])) {
                return k;
            }
        }
        return -1;
    }

    /** The parameter name between {@code from} and {@code to}, blanks around it dropped, lower-cased. */
    private static String name(String h, int from, int to) {
        return h.substring(from, to).strip().toLowerCase(Locale.ROOT);
    }

    private void put(int known, String name, String value) {
        if (known >= 0) {
            this.known[known] = value;
            return;
        }
        if (others == null) {
            others = new HashMap<>(4);
        }
        others.put(name, value);
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
        return Optional.ofNullable(valueOf(name));
    }

    /** As {@link #get}, null when absent: for the check every request makes, which wraps nothing. */
    String valueOf(String name) {
        for (int k = 0; k < KNOWN.length; k++) { // the callers' literals are these very constants: equal at once
            if (KNOWN[k].equals(name)) {
                return known[k];
            }
        }
        return others == null ? null : others.get(name);
    }

    /** How many parameters there are (a name given twice counts once). */
    int size() {
        int n = others == null ? 0 : others.size();
        for (String v : known) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DigestParams[");
        for (int k = 0; k < KNOWN.length; k++) {
            if (known[k] != null) {
                sb.append(KNOWN[k]).append('=').append(known[k]).append(", ");
            }
        }
        if (others != null) {
            others.forEach((n, v) -> sb.append(n).append('=').append(v).append(", "));
        }
        return sb.append(']').toString();
    }
}
