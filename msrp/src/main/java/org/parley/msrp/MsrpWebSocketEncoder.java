package org.parley.msrp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One MSRP message (a chunk) per WebSocket message (RFC 7977 §5.2): a text frame when the
 * message is UTF-8, as a text frame must be (RFC 6455 §5.6), else a binary one.
 */
@Sharable
public final class MsrpWebSocketEncoder extends MessageToMessageEncoder<MsrpMessage> {
    public MsrpWebSocketEncoder() {
        super(MsrpMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MsrpMessage message, List<Object> out) {
        byte[] bytes = message.encode();
        out.add(isUtf8(bytes) ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
