package org.parley.sip.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline, so that no exception reaches Netty's tail. A connection
 * in an unknown state is closed; the UDP socket is shared by all peers and stays open.
 *
 * <p>What peers cause (resets, failed TLS handshakes, corrupt WebSocket frames, anything a
 * decoder refused) is their fault, not ours: one line per connection, never a stack trace, and
 * at most {@link #PEER_FAULT_LINES} a minute over all connections, since an attacker chooses how
 * many there are (issue 9: a 25-line stack trace per bad WebSocket frame).
 */
@Sharable
final class ExceptionSink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ExceptionSink.class);
    static final ExceptionSink INSTANCE = new ExceptionSink();
    static final int PEER_FAULT_LINES = 20;
    private static final AttributeKey<Boolean> REPORTED = AttributeKey.valueOf("parley.sip.fault-reported");

    private final LogLimiter peerFaults = new LogLimiter(PEER_FAULT_LINES, 60_000);
    private final LogLimiter surprises = new LogLimiter(PEER_FAULT_LINES, 60_000);

    private ExceptionSink() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            // resets and failed TLS handshakes are what peers and scanners do all day
            log.debug("{} on {}: {}", cause.getClass().getSimpleName(), ctx.channel().remoteAddress(), cause.getMessage());
        } else if (cause instanceof DecoderException) {
            if (ctx.channel().attr(REPORTED).setIfAbsent(Boolean.TRUE) == null) {
                peerFaults.log(log, "protocol fault from {} on {}: {}", ctx.channel().remoteAddress(),
                        ctx.channel().localAddress(), describe(cause));
            }
        } else {
            surprises.log(log, "unexpected failure on {}: {}", ctx.channel(), describe(cause));
            log.debug("unexpected failure on {}", ctx.channel(), cause);
        }
        if (!(ctx.channel() instanceof DatagramChannel)) {
            ctx.close();
        }
    }

    /** The exception and its causes' messages on one line. */
    private static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null && sb.length() < 300; t = t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" / ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString().replaceAll("[\\r\\n]+", " ");
    }
}
