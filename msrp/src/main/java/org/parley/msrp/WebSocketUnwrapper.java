package org.parley.msrp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Hands the payload of each text or binary WebSocket message to the {@link MsrpDecoder}, which
 * frames it like a stream (RFC 7977 §5.2 puts one chunk in each message; fragments are joined
 * before this handler, control frames are Netty's).
 */
@Sharable
public final class WebSocketUnwrapper extends MessageToMessageDecoder<WebSocketFrame> {
    public WebSocketUnwrapper() {
        super(WebSocketFrame.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            out.add(frame.content().retain());
        }
    }
}
