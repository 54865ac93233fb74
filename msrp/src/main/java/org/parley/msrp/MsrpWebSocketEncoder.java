package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One MSRP message (a chunk) per WebSocket message (RFC 7977 §5.2): a text frame when the
 * message is UTF-8, as a text frame must be (RFC 6455 §5.6), else a binary one. A {@link ByteBuf}
 * written here is one whole MSRP message already in its wire form (what a relay passes on).
 */
@Sharable
public final class MsrpWebSocketEncoder extends MessageToMessageEncoder<Object> {
    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof MsrpMessage || msg instanceof ByteBuf;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object message, List<Object> out) {
        ByteBuf bytes = message instanceof ByteBuf b ? b.retain() : Unpooled.wrappedBuffer(((MsrpMessage) message).encode());
        out.add(ByteBufUtil.isText(bytes, StandardCharsets.UTF_8) ? new TextWebSocketFrame(bytes)
                : new BinaryWebSocketFrame(bytes));
    }
}
