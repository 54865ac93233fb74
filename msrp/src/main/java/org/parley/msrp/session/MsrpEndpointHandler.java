package org.parley.msrp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.msrp.MalformedMsrp;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects an endpoint's {@link MsrpSessions} to its connections: each decoded message goes to
 * the session it names, and what the session answers is written back on the connection it
 * came from; malformed requests get their 400 or 413 here.
 *
 * <p>With an executor, sessions run off the I/O threads (their listeners may write to a
 * database before a chunk is answered): the messages of one connection are handled one after
 * the other, in order, and reading from it pauses while too many wait.
 */
@Sharable
public final class MsrpEndpointHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(MsrpEndpointHandler.class);
    private static final AttributeKey<Inbox> INBOX = AttributeKey.valueOf("msrp.endpoint.inbox");
    private static final AttributeKey<ChannelLink> LINK = AttributeKey.valueOf("msrp.endpoint.link");
    /** Messages of one connection waiting to be handled before reading from it pauses. */
    private static final int MAX_WAITING = 16;

    /** One connection's messages not handled yet, and how many. */
    private static final class Inbox {
        final Queue<Object> messages = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
    }

    /** A connection as the sessions bound to it see it: where their own requests go, and its end. */
    private final class ChannelLink implements MsrpSessions.LinkOwner, MsrpLink {
        private final Channel channel;

        ChannelLink(Channel channel) {
            this.channel = channel;
        }

        @Override
        public MsrpLink link() {
            return this;
        }

        @Override
        public void onClose(Runnable whenClosed) {
            channel.closeFuture().addListener(f -> {
                if (work == null) {
                    whenClosed.run();
                } else {
                    work.execute(whenClosed);
                }
            });
        }

        @Override
        public void send(List<MsrpRequest> requests) {
            requests.forEach(channel::write);
            channel.flush();
        }

        @Override
        public void close() {
            channel.close();
        }
    }

    private final MsrpSessions sessions;
    private final Executor work;

    /** Handles each message on the I/O thread that decoded it. */
    public MsrpEndpointHandler(MsrpSessions sessions) {
        this(sessions, null);
    }

    /** Handles the messages of each connection in order on {@code work} (virtual threads). */
    public MsrpEndpointHandler(MsrpSessions sessions, Executor work) {
        this.sessions = sessions;
        this.work = work;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (work == null) {
            handle(ctx, msg);
            return;
        }
        Inbox inbox = ctx.channel().attr(INBOX).get();
        if (inbox == null) {
            inbox = new Inbox();
            ctx.channel().attr(INBOX).set(inbox);
        }
        inbox.messages.add(msg);
        int waiting = inbox.size.incrementAndGet();
        if (waiting >= MAX_WAITING) {
            ctx.channel().config().setAutoRead(false);
        }
        if (waiting == 1) {
            Inbox mine = inbox;
            work.execute(() -> drain(ctx, mine));
        }
    }

    /** One drain per connection at a time: started by the message that found the inbox empty. */
    private void drain(ChannelHandlerContext ctx, Inbox inbox) {
        do {
            handle(ctx, inbox.messages.poll());
            if (inbox.size.get() <= MAX_WAITING / 2 && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        } while (inbox.size.decrementAndGet() > 0);
    }

    private ChannelLink linkOf(Channel channel) {
        ChannelLink link = channel.attr(LINK).get();
        if (link == null) {
            link = new ChannelLink(channel);
            ChannelLink raced = channel.attr(LINK).setIfAbsent(link);
            link = raced == null ? link : raced;
        }
        return link;
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case MsrpRequest r -> sessions.receive(r, linkOf(ctx.channel())).forEach(ctx::write);
                case MsrpResponse r -> sessions.receive(r);
                case MalformedMsrp m when m.request() ->
                        ctx.write(MsrpResponse.to(m.transactionId(), m.headers(), m.status(), m.reason(), List.of()));
                case MalformedMsrp m -> log.debug("dropping malformed MSRP response {}: {}", m.transactionId(), m.reason());
                default -> log.debug("ignoring {}", msg.getClass().getSimpleName());
            }
            ctx.flush();
        } catch (RuntimeException e) {
            // nothing acknowledged what failed: closing tells the sender so (RFC 4975 §7.3, no response)
            log.warn("MSRP message from {} failed; closing the connection: {}", ctx.channel().remoteAddress(),
                    e.toString());
            ctx.close();
        }
    }
}
