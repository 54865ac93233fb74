package org.parley.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of one accepted connection (issue 9: a connection trickling one octet every
 * 10 s used to be held for ten minutes). Placed right after TLS, it sees the plain octets in and
 * whatever goes out; the framer and the dispatcher tell it when something whole came in.
 * <ul>
 *   <li>Octets in that do not end in a whole message, keep-alive or pong within the message
 *       deadline close it.</li>
 *   <li>No activity for the idle time closes it. Activity is a whole message in; keep-alives and
 *       anything written out count too once a REGISTER has been accepted over the connection (a
 *       2xx to REGISTER listing contacts went out on it), so that an unregistered peer cannot hold
 *       a descriptor with pings alone. Unregistered connections get the short idle time.</li>
 * </ul>
 * All state is touched on the channel's event loop only.
 */
final class ConnectionDeadlines extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);
    private static final AttributeKey<ConnectionDeadlines> KEY = AttributeKey.valueOf("parley.sip.deadlines");
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ConnectionLimits limits;
    private final Transport transport;
    private long lastActivity;
    /** When the first octet of a message not yet whole arrived; 0 when none is pending. */
    private long pendingSince;
    private boolean registered;
    private ScheduledFuture<?> tick;

    /** @param opened true for a connection this server opened: it is kept as long as a registered one */
    ConnectionDeadlines(ConnectionLimits limits, Transport transport, boolean opened) {
        this.limits = limits;
        this.transport = transport;
        this.registered = opened;
    }

    /** A whole message came in on this connection. */
    static void progress(Channel ch) {
        ConnectionDeadlines d = ch.attr(KEY).get();
        if (d != null) {
            d.settled(true);
        }
    }

    /** A keep-alive came in, or the stream holds nothing unfinished. */
    static void keptAlive(Channel ch) {
        ConnectionDeadlines d = ch.attr(KEY).get();
        if (d != null) {
            d.settled(d.registered);
        }
    }

    /** A message is being sent on this connection; a 2xx to REGISTER with contacts makes it a registered flow. */
    static void sending(Channel ch, SipMessage message) {
        ConnectionDeadlines d = ch.attr(KEY).get();
        if (d != null && message instanceof SipResponse r && r.statusClass() == 2
                && "REGISTER".equals(r.cseq().method())) {
            boolean contacts = r.headers().has(HeaderNames.CONTACT);
            ch.eventLoop().execute(() -> d.registered = contacts);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().attr(KEY).set(this);
        lastActivity = System.nanoTime();
        long shortest = Math.min(limits.messageDeadline().toNanos(), limits.unregisteredIdle().toNanos());
        long period = Math.max(MIN_TICK_NANOS, shortest / 4);
        tick = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handlerRemoved(ctx);
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (pendingSince == 0) {
            pendingSince = System.nanoTime();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        settled(registered);
        super.write(ctx, msg, promise);
    }

    private void settled(boolean active) {
        pendingSince = 0;
        if (active) {
            lastActivity = System.nanoTime();
        }
    }

    private void check(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        if (pendingSince != 0 && now - pendingSince > limits.messageDeadline().toNanos()) {
            close(ctx, "no whole message within " + limits.messageDeadline().toSeconds() + " s of its first octet");
        } else if (now - lastActivity > (registered ? limits.registeredIdle() : limits.unregisteredIdle()).toNanos()) {
            close(ctx, (registered ? "idle" : "idle and unregistered") + " for "
                    + (registered ? limits.registeredIdle() : limits.unregisteredIdle()).toSeconds() + " s");
        }
    }

    private void close(ChannelHandlerContext ctx, String why) {
        log.debug("closing {} connection from {}: {}", transport, ctx.channel().remoteAddress(), why);
        tick.cancel(false);
        ctx.close();
    }
}
