package org.parley.msrp;

import java.util.Optional;

/**
 * The Byte-Range header (RFC 4975 §7.1.1, §9): {@code start-end/total}, 1-based and inclusive;
 * end or total may be "*" (unknown), represented here as {@link #UNKNOWN}.
 */
public record ByteRange(long start, long end, long total) {
    public static final long UNKNOWN = -1;
    /** Digits a number may have: 18 always fit a long. */
    private static final int MAX_DIGITS = 18;

    /**
     * A range that names no byte outside the message and does not run backwards. Read by hand, not
     * with a regular expression: every chunk a relay carries has one.
     */
    public static Optional<ByteRange> parse(String text) {
        String s = text.strip();
        int dash = s.indexOf('-');
        int slash = s.indexOf('/', dash + 1);
        if (dash < 0 || slash < 0) {
            return Optional.empty();
        }
        long start = number(s, 0, dash, false);
        long end = number(s, dash + 1, slash, true);
        long total = number(s, slash + 1, s.length(), true);
        if (start < 1 || end < UNKNOWN || total < UNKNOWN || (end != UNKNOWN && end < start - 1)
                || (total != UNKNOWN && end != UNKNOWN && end > total) || (total != UNKNOWN && start > total + 1)) {
            return Optional.empty();
        }
        return Optional.of(new ByteRange(start, end, total));
    }

    /** 1*18DIGIT between {@code from} and {@code to}, or "*" ({@link #UNKNOWN}) when allowed; -2 when neither. */
    private static long number(String s, int from, int to, boolean starAllowed) {
        if (starAllowed && to - from == 1 && s.charAt(from) == '*') {
            return UNKNOWN;
        }
        if (to <= from || to - from > MAX_DIGITS) {
            return -2;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -2;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    @Override
    public String toString() {
        return start + "-" + (end == UNKNOWN ? "*" : end) + "/" + (total == UNKNOWN ? "*" : total);
    }
}
