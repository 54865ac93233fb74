package org.parley.msrp.session;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.parley.msrp.ByteRange;

/**
 * One incoming message put back together from its chunks by Byte-Range (RFC 4975 §7.3.1):
 * chunks may come in any order, overlap or repeat; the message is complete once every byte from
 * 1 to the total is there and the last chunk (flag '$') has said where the end is, which also
 * settles a total of "*".
 */
final class Reassembly {
    /** What a chunk did to the message. */
    enum Progress { MORE, COMPLETE, TOO_LARGE, BAD_RANGE }

    private final long maxBytes;
    private byte[] bytes = new byte[0];
    /** Received ranges, start → end (1-based, inclusive), merged so that they never touch. */
    private final TreeMap<Long, Long> received = new TreeMap<>();
    private long total = ByteRange.UNKNOWN;

    Reassembly(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @param last the chunk ended with '$': its end is the message's end */
    Progress add(ByteRange range, byte[] body, boolean last) {
        long end = range.start() + body.length - 1;
        if (range.end() != ByteRange.UNKNOWN && range.end() != end) {
            return Progress.BAD_RANGE;
        }
        long declared = range.total() != ByteRange.UNKNOWN ? range.total() : last ? end : ByteRange.UNKNOWN;
        if (declared != ByteRange.UNKNOWN) {
            if (total != ByteRange.UNKNOWN && total != declared || end > declared) {
                return Progress.BAD_RANGE;
            }
            total = declared;
        }
        if (end > maxBytes || total > maxBytes) {
            return Progress.TOO_LARGE;
        }
        if (end >= range.start()) {
            if (end > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.max(end, Math.min(maxBytes, bytes.length * 2L)));
            }
            System.arraycopy(body, 0, bytes, (int) range.start() - 1, body.length);
            mark(range.start(), end);
        }
        return total != ByteRange.UNKNOWN && covered(total) ? Progress.COMPLETE : Progress.MORE;
    }

    private void mark(long start, long end) {
        Map.Entry<Long, Long> before = received.floorEntry(start);
        if (before != null && before.getValue() >= start - 1) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> after = received.ceilingEntry(start);
        while (after != null && after.getKey() <= end + 1) {
            end = Math.max(end, after.getValue());
            received.remove(after.getKey());
            after = received.ceilingEntry(start);
        }
        received.put(start, end);
    }

    private boolean covered(long upTo) {
        if (upTo == 0) {
            return true;
        }
        Map.Entry<Long, Long> first = received.firstEntry();
        return first != null && first.getKey() == 1 && first.getValue() >= upTo;
    }

    long total() {
        return total;
    }

    byte[] content() {
        return Arrays.copyOf(bytes, (int) total);
    }
}
