package org.parley.msrp.sdp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code a=file-range} attribute (RFC 5547 §8.1, §9): the octets of the file an offer sends,
 * 1-based and inclusive; {@code stop} is {@link #UNKNOWN} for "*" (to the end). A resumed
 * transfer offers the rest of a file this way.
 */
public record FileRange(long start, long stop) {
    public static final long UNKNOWN = -1;
    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,18})-([0-9]{1,18}|\\*)");

    public FileRange {
        if (start < 1 || (stop != UNKNOWN && stop < start)) {
            throw new IllegalArgumentException("file range " + start + "-" + stop);
        }
    }

    static FileRange parse(String value) throws MalformedSdp {
        Matcher m = SYNTAX.matcher(value);
        if (m.matches()) {
            long start = Long.parseLong(m.group(1));
            long stop = m.group(2).equals("*") ? UNKNOWN : Long.parseLong(m.group(2));
            if (start >= 1 && (stop == UNKNOWN || stop >= start)) {
                return new FileRange(start, stop);
            }
        }
        throw MalformedSdp.notAcceptable("a=file-range is not '<start>-<stop>|*' from 1, forwards (RFC 5547 §9): " + value);
    }

    @Override
    public String toString() {
        return start + "-" + (stop == UNKNOWN ? "*" : stop);
    }
}
