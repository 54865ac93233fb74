package org.parley.sip.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * One WebSocket message carries exactly one SIP message (RFC 7118 §5.1), text or binary;
 * fragments are joined before this handler. Control frames are Netty's protocol handler's.
 */
@Sharable
final class WebSocketUnwrapper extends MessageToMessageDecoder<WebSocketFrame> {
    WebSocketUnwrapper() {
        super(WebSocketFrame.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            out.add(frame.content().retain());
        }
    }
}
