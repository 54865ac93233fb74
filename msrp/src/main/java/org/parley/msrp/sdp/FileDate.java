package org.parley.msrp.sdp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code a=file-date} attribute (RFC 5547 §9): creation, modification and read dates of the
 * file, each an RFC 5322 date-time in double quotes, each at most once. Parley passes them on and
 * never computes with them, so they stay text.
 */
public record FileDate(Optional<String> creation, Optional<String> modification, Optional<String> read) {
    private static final Pattern PARAM = Pattern.compile("(creation|modification|read):\"([^\"\\r\\n]+)\"( |$)");

    static FileDate parse(String value) throws MalformedSdp {
        String[] found = new String[3];
        Matcher m = PARAM.matcher(value);
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at) {
                throw MalformedSdp.notAcceptable("a=file-date is not creation|modification|read:\"<date-time>\" ... "
                        + "(RFC 5547 §9): " + value);
            }
            int i = switch (m.group(1)) {
                case "creation" -> 0;
                case "modification" -> 1;
                default -> 2;
            };
            if (found[i] != null) {
                throw MalformedSdp.notAcceptable("a=file-date names " + m.group(1) + " twice: " + value);
            }
            found[i] = m.group(2);
            at = m.end();
        }
        if (value.isEmpty() || value.endsWith(" ")) {
            throw MalformedSdp.notAcceptable("a=file-date is empty or ends in a space: " + value);
        }
        return new FileDate(Optional.ofNullable(found[0]), Optional.ofNullable(found[1]), Optional.ofNullable(found[2]));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        creation.ifPresent(d -> out.append("creation:\"").append(d).append("\" "));
        modification.ifPresent(d -> out.append("modification:\"").append(d).append("\" "));
        read.ifPresent(d -> out.append("read:\"").append(d).append("\" "));
        return out.toString().stripTrailing();
    }
}
