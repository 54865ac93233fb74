package org.parley.msrp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Byte-Range header (RFC 4975 §7.1.1, §9): {@code start-end/total}, 1-based and inclusive;
 * end or total may be "*" (unknown), represented here as {@link #UNKNOWN}.
 */
public record ByteRange(long start, long end, long total) {
    public static final long UNKNOWN = -1;
    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,18})-([0-9]{1,18}|\\*)/([0-9]{1,18}|\\*)");

    /** A range that names no byte outside the message and does not run backwards. */
    public static Optional<ByteRange> parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long start = Long.parseLong(m.group(1));
        long end = m.group(2).equals("*") ? UNKNOWN : Long.parseLong(m.group(2));
        long total = m.group(3).equals("*") ? UNKNOWN : Long.parseLong(m.group(3));
        if (start < 1 || (end != UNKNOWN && end < start - 1) || (total != UNKNOWN && end != UNKNOWN && end > total)
                || (total != UNKNOWN && start > total + 1)) {
            return Optional.empty();
        }
        return Optional.of(new ByteRange(start, end, total));
    }

    @Override
    public String toString() {
        return start + "-" + (end == UNKNOWN ? "*" : end) + "/" + (total == UNKNOWN ? "*" : total);
    }
}
