package org.parley.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses one framed message of a connection. A malformed request is answered on the same
 * connection, which stays open: the framing, and so the next message, is intact.
 */
@Sharable
final class SipFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(SipFrameDecoder.class);

    private final Transport transport;
    private final boolean wholeFrame;
    private final int maxBytes;
    private final TransportMetrics metrics;

    /** @param wholeFrame true for WebSocket, where the frame, not Content-Length, bounds the message */
    SipFrameDecoder(Transport transport, boolean wholeFrame, int maxBytes, TransportMetrics metrics) {
        super(ByteBuf.class);
        this.transport = transport;
        this.wholeFrame = wholeFrame;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (wholeFrame && isKeepAlive(frame)) {
            ConnectionDeadlines.keptAlive(ctx.channel()); // RFC 5626 pings in a WebSocket message (SIP.js sends them)
            return;
        }
        switch (InboundParsing.parse(frame, wholeFrame, maxBytes)) {
            case InboundParsing.Accepted accepted -> out.add(accepted.message());
            case InboundParsing.Refused refused -> {
                metrics.malformed(transport);
                log.debug("malformed message on {} from {}: {}", transport, ctx.channel().remoteAddress(), refused.fault());
                if (refused.answer() != null) {
                    ctx.writeAndFlush(refused.answer());
                }
            }
        }
    }

    private static boolean isKeepAlive(ByteBuf frame) {
        return frame.isReadable() && frame.forEachByte(b -> b == '\r' || b == '\n') < 0;
    }
}
