package org.parley.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.sip.message.Header;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.RawMessage;
import org.parley.sip.message.SipParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a TCP or TLS byte stream into messages (RFC 3261 §18.3): the header section up to the
 * empty line, then Content-Length octets of body (none when the header is absent). CRLFs
 * between messages are RFC 5626 §4.4.1 keep-alives; a double-CRLF ping gets a CRLF pong.
 *
 * <p>When the stream cannot be framed any more (a header section or Content-Length too large,
 * a Content-Length that is not one number, a header section that cannot be read) a request is
 * answered, 513 or 400, and the connection closed: the next message cannot be found.
 */
final class SipStreamFramer extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(SipStreamFramer.class);
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Transport transport;
    private final int maxBytes;
    private final TransportMetrics metrics;
    /** How much of the buffered header section has been searched for its end already. */
    private int scanned;
    private boolean failed;

    SipStreamFramer(Transport transport, int maxBytes, TransportMetrics metrics) {
        this.transport = transport;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && skipKeepAlives(ctx, in)) {
            int headLength = headLength(in);
            if (headLength < 0) {
                if (in.readableBytes() > maxBytes) {
                    fail(ctx, in, InboundParsing.refuse(completeLines(in), 513, "Message Too Large"));
                }
                return;
            }
            if (headLength > maxBytes) {
                fail(ctx, in, InboundParsing.refuse(in.slice(in.readerIndex(), headLength), 513, "Message Too Large"));
                return;
            }
            ByteBuf head = in.slice(in.readerIndex(), headLength);
            RawMessage raw = InboundParsing.head(head);
            if (raw == null) {
                fail(ctx, in, new InboundParsing.Refused(null, "unreadable header section"));
                return;
            }
            long length;
            try {
                length = headLength + contentLength(raw);
            } catch (SipParseException e) {
                fail(ctx, in, InboundParsing.refuse(head, e.status(), e.getMessage()));
                return;
            }
            if (length > maxBytes) {
                fail(ctx, in, InboundParsing.refuse(head, 513, "Message Too Large"));
                return;
            }
            if (in.readableBytes() < length) {
                return; // the body is still on its way
            }
            out.add(in.readRetainedSlice((int) length));
            scanned = 0;
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        } else if (!in.isReadable()) {
            ConnectionDeadlines.keptAlive(ctx.channel()); // nothing unfinished is left buffered
        }
    }

    /**
     * Consumes CRLFs in front of a message. Returns false when the buffer holds nothing but
     * the start of what may be a ping, so more bytes are needed to tell.
     */
    private boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            int i = in.readerIndex();
            byte b = in.getByte(i);
            if (b != '\r' && b != '\n') {
                return true;
            }
            if (b == '\n' || in.readableBytes() >= 2 && in.getByte(i + 1) != '\n') {
                in.skipBytes(1); // a stray line end before a start line is ignored (RFC 3261 §7.5)
                continue;
            }
            if (in.readableBytes() < 4) {
                if (in.readableBytes() == 3 && in.getByte(i + 2) != '\r') {
                    in.skipBytes(2);
                    continue;
                }
                return false;
            }
            if (in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                in.skipBytes(4);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(CRLF));
            } else {
                in.skipBytes(2); // a lone CRLF is a pong, or a line end before a start line
            }
            scanned = 0;
        }
        return false;
    }

    /** The length of the header section with its empty line, or -1 while it is incomplete. */
    private int headLength(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        // Resume a little before where the last search stopped: the empty line may straddle it.
        for (int i = start + Math.max(0, scanned - 2); i < end; i++) {
            if (in.getByte(i) == '\n') {
                if (i + 1 < end && in.getByte(i + 1) == '\n') {
                    return i + 2 - start;
                }
                if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    return i + 3 - start;
                }
            }
        }
        scanned = end - start;
        return -1;
    }

    private static long contentLength(RawMessage raw) {
        String value = null;
        for (Header h : raw.headers()) {
            if (h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                if (value != null) {
                    throw new SipParseException("more than one Content-Length");
                }
                value = h.value();
            }
        }
        return value == null ? 0 : HeaderValues.boundedNumber(value, Integer.MAX_VALUE, "Content-Length");
    }

    /**
     * The complete header lines of an unfinished header section, closed with an empty line, so a
     * request too large to wait for can still be answered from its Via.
     */
    private static ByteBuf completeLines(ByteBuf in) {
        int lastLf = in.forEachByteDesc(in.readerIndex(), in.readableBytes(), b -> b != '\n');
        if (lastLf < 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        return Unpooled.copiedBuffer(in.slice(in.readerIndex(), lastLf + 1 - in.readerIndex()),
                Unpooled.wrappedBuffer(CRLF));
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, InboundParsing.Refused refused) {
        failed = true;
        metrics.malformed(transport);
        log.debug("closing {} connection from {}: {}", transport, ctx.channel().remoteAddress(), refused.fault());
        in.skipBytes(in.readableBytes());
        if (refused.answer() != null) {
            ctx.writeAndFlush(refused.answer()).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
