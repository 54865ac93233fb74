package org.parley.msrp;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Tells the pipeline ({@link IdleStateEvent#ALL_IDLE_STATE_EVENT}) when a connection has had no
 * traffic either way for a while, as Netty's {@code IdleStateHandler} does, without what that one
 * costs on every write (a promise and a listener per message, which a relay writing tens of
 * thousands of chunks a second pays for): a read or a flush is the activity, and one timer per
 * connection looks at it. A connection whose writes are stuck (a receiver that stopped reading) is
 * flushed no more, and so is idle.
 */
final class IdleTimeout extends ChannelDuplexHandler {
    private final long timeoutNanos;
    /** When there was traffic last; only touched on the channel's event loop. */
    private long last;
    private ScheduledFuture<?> check;

    IdleTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        last = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        last = System.nanoTime();
        ctx.flush();
    }

    private void start(ChannelHandlerContext ctx) {
        if (check == null) {
            last = System.nanoTime();
            schedule(ctx, timeoutNanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> look(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void look(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long quiet = System.nanoTime() - last;
        if (quiet >= timeoutNanos) {
            ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        } else {
            schedule(ctx, timeoutNanos - quiet);
        }
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
        }
    }
}
