package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A SEND or REPORT together with the bytes it arrived as: what the decoder of the relay's
 * connections hands over. RFC 4976 §7.3 has a relay change only the paths (and this one the
 * transaction id), so the received bytes after From-Path — the other header fields, the body —
 * go on as they came, a retained slice of the connection's read buffer, neither copied nor
 * encoded again. Reference counted: it holds that buffer until released.
 */
public final class WireRequest extends DefaultByteBufHolder {
    private final MsrpRequest head;
    private final int pathsEnd;
    private final int endLine;
    private final int bodyStart;
    private final int bodyLength;

    /**
     * @param head       the request as parsed, without its body
     * @param frame      the whole message as received, start line to end-line
     * @param pathsEnd   where the header field after From-Path starts in {@code frame}
     * @param endLine    where the end-line starts in {@code frame}
     * @param bodyStart  where the body starts in {@code frame} (-1: no body)
     * @param bodyLength bytes of the body (-1: no body)
     */
    WireRequest(MsrpRequest head, ByteBuf frame, int pathsEnd, int endLine, int bodyStart, int bodyLength) {
        super(frame);
        this.head = head;
        this.pathsEnd = pathsEnd;
        this.endLine = endLine;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
    }

    /** The request's start line and header fields; its body is left in the buffer ({@link #request()} has it). */
    public MsrpRequest head() {
        return head;
    }

    /** The received bytes from the field after From-Path up to (not including) the end-line, retained for the caller. */
    public ByteBuf afterPaths() {
        return content().retainedSlice(pathsEnd, endLine - pathsEnd);
    }

    /** The whole request with a copy of its body, for those who keep or look into it. */
    public MsrpRequest request() {
        byte[] body = bodyLength < 0 ? null : ByteBufUtil.getBytes(content(), bodyStart, bodyLength);
        return new MsrpRequest(head.transactionId(), head.method(), head.headers(), body, head.continuation());
    }

    @Override
    public String toString() {
        return head + (bodyLength < 0 ? "" : " (" + bodyLength + " bytes)");
    }
}
