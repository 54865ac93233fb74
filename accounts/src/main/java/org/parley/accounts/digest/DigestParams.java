package org.parley.accounts.digest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a Digest credentials header (RFC 7616 §3.4; RFC 3261 §25.1 grammar): names
 * lower-cased, quoted values unquoted.
 */
public record DigestParams(Map<String, String> values) {

    public static Optional<DigestParams> parse(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).equalsIgnoreCase("Digest")) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        String s = h.substring(sp + 1);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == '\t')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    return Optional.empty();
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    v.append(s.charAt(i++));
                }
            }
            out.put(name, v.toString().strip());
        }
        return Optional.of(new DigestParams(Map.copyOf(out)));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }
}
