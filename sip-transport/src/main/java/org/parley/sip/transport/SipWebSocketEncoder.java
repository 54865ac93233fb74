package org.parley.sip.transport;

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
import org.parley.sip.message.SipMessage;

/**
 * Sends each message as one WebSocket message (RFC 7118 §5.1): a text frame, unless the body
 * is not UTF-8, which a text frame must be (RFC 6455 §5.6), and then a binary one.
 */
@Sharable
final class SipWebSocketEncoder extends MessageToMessageEncoder<SipMessage> {
    private final Transport transport;
    private final TransportMetrics metrics;

    SipWebSocketEncoder(Transport transport, TransportMetrics metrics) {
        super(SipMessage.class);
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SipMessage message, List<Object> out) {
        byte[] bytes = message.encode();
        out.add(isUtf8(bytes) ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        metrics.sent(transport, message);
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
