package org.parley.msrp.sdp;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code a=file-range} attribute (RFC 5547 §6): the octets of the file an offer sends,
 * 1-based and inclusive; {@code stop} is {@link #UNKNOWN} for "*" (to the end). A resumed
 * transfer offers the rest of a file this way; the file-selector's {@code size} stays the size of
 * the whole file, and the MSRP message that carries the range is the range alone (its own
 * Byte-Range counts from 1).
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
        throw MalformedSdp.notAcceptable("a=file-range is not '<start>-<stop>|*' from 1, forwards (RFC 5547 §6): " + value);
    }

    /** Whether every octet of the range is one of a file of {@code size} octets. */
    public boolean within(long size) {
        return start <= size && (stop == UNKNOWN || stop <= size);
    }

    /** The whole file: from its first octet to its last (or "*"). */
    public boolean whole(OptionalLong size) {
        return start == 1 && (stop == UNKNOWN || size.isPresent() && stop == size.getAsLong());
    }

    /** How many octets the range sends from a file of {@code size} octets, when that can be told. */
    public OptionalLong octets(OptionalLong size) {
        if (stop != UNKNOWN) {
            return OptionalLong.of(stop - start + 1);
        }
        return size.isPresent() ? OptionalLong.of(size.getAsLong() - start + 1) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return start + "-" + (stop == UNKNOWN ? "*" : stop);
    }
}
