package org.parley.msrp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a WebSocket handshake that does not offer the "msrp" subprotocol (RFC 7977 §4.1):
 * Netty would otherwise accept it without one. Leaves the pipeline once a handshake passes.
 */
public final class MsrpSubprotocolGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(MsrpSubprotocolGuard.class);
    public static final String SUBPROTOCOL = "msrp";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            if (!offersMsrp(request)) {
                request.release();
                log.debug("refusing WebSocket handshake without the msrp subprotocol from {}",
                        ctx.channel().remoteAddress());
                FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
                refusal.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean offersMsrp(FullHttpRequest request) {
        return request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .anyMatch(p -> p.strip().equals(SUBPROTOCOL));
    }
}
