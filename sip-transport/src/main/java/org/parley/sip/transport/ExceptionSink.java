package org.parley.sip.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline, so that no exception reaches Netty's tail. A connection
 * in an unknown state is closed; the UDP socket is shared by all peers and stays open.
 */
@Sharable
final class ExceptionSink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ExceptionSink.class);
    static final ExceptionSink INSTANCE = new ExceptionSink();

    private ExceptionSink() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and failed TLS handshakes are what peers (and scanners) do; only surprises are warned of.
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            log.debug("{} on {}: {}", cause.getClass().getSimpleName(), ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            log.warn("unexpected failure on {}", ctx.channel(), cause);
        }
        if (!(ctx.channel() instanceof DatagramChannel)) {
            ctx.close();
        }
    }
}
