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
            String name = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
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
                value = h.substring(i, end);
                i = end;
            }
            out.put(name, value.strip());
        }
        return Optional.of(new DigestParams(Collections.unmodifiableMap(out)));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }
}
