package org.parley.sip.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a listening socket: an accept that fails (EMFILE when the process is out of file
 * descriptors, ENFILE, ENOBUFS) pauses accepting for a second instead of spinning on the
 * selector, is logged as one rate-limited line, and marks the listener as failing for health
 * checks until accepting works again. The listener itself never closes over it.
 */
final class AcceptWatch extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptWatch.class);
    static final long PAUSE_MILLIS = 1000;
    /** How long after a failed accept the listener still counts as failing. */
    private static final long FAILING_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Transport transport;
    private final LogLimiter lines = new LogLimiter(1, 10_000);
    private volatile long lastFailure;
    private volatile boolean failedOnce;

    AcceptWatch(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        lastFailure = System.nanoTime();
        failedOnce = true;
        lines.log(log, "SIP {} cannot accept connections ({}); pausing accepts for {} ms", transport, cause.toString(),
                PAUSE_MILLIS);
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** True unless an accept failed within the last few seconds. */
    boolean accepting() {
        return !failedOnce || System.nanoTime() - lastFailure > FAILING_NANOS;
    }
}
