package org.parley.sip.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP: each datagram is one message (RFC 3261 §18.3). A malformed request is answered to the
 * address it came from, since its Via cannot be trusted.
 *
 * <p>All of a port's datagrams arrive on one channel, and so on one event loop thread. Parsing
 * them and handing them up (transaction matching included) there made that thread the server's
 * serial limit: it dropped datagrams at 2,000 MESSAGE/s while the other CPU had time to spare
 * (issue 13 §2). The event loop therefore only copies each datagram out of the receive buffer and
 * hands it to {@code workers}, which parse and deliver on every CPU. This spreads one peer's
 * traffic as well as many peers' — an IMS core sends everything from one P-CSCF address and
 * port, which spreading sockets by source (SO_REUSEPORT) would not. Datagrams of one peer may
 * then be handled in another order than they came, as UDP may deliver them anyway (the
 * transaction layer tolerates that: §17 never relies on order over UDP).
 *
 * <p>At most {@link #MAX_WAITING} datagrams wait for a worker; beyond that they are dropped and
 * counted, as a full socket buffer would drop them, instead of filling the heap under a flood.
 */
@Sharable
final class DatagramReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(DatagramReceiver.class);
    /** About what the 4 MiB socket buffer holds of typical requests. */
    static final int MAX_WAITING = 8192;

    private final Delivery delivery;
    private final TransportMetrics metrics;
    private final int maxBytes;
    private final Executor workers;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Used on the event loop only. */
    private final DatagramFlows flows = new DatagramFlows();

    DatagramReceiver(Delivery delivery, TransportMetrics metrics, int maxBytes, Executor workers) {
        this.delivery = delivery;
        this.metrics = metrics;
        this.maxBytes = maxBytes;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            metrics.dropped(Transport.UDP);
            return;
        }
        // copied out: the pooled receive buffer goes back at once, whatever the worker's delay
        byte[] bytes = ByteBufUtil.getBytes(packet.content());
        // recipient: the address it was sent to, where responses leave from
        Flow flow = flows.of(packet.sender(), packet.recipient());
        Channel channel = ctx.channel();
        try {
            workers.execute(() -> {
                try {
                    handle(bytes, flow, channel);
                } finally {
                    waiting.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException stopping) {
            waiting.decrementAndGet(); // the transport is closing: the datagram goes the way of the socket
        }
    }

    private void handle(byte[] bytes, Flow flow, Channel channel) {
        switch (InboundParsing.parse(Unpooled.wrappedBuffer(bytes), true, maxBytes)) {
            case InboundParsing.Accepted accepted -> delivery.deliver(accepted.message(), flow);
            case InboundParsing.Refused refused -> {
                metrics.malformed(Transport.UDP);
                log.debug("malformed datagram from {}: {}", flow.remote(), refused.fault());
                if (refused.answer() != null) {
                    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(refused.answer().encode()),
                            flow.remote()));
                    metrics.sent(Transport.UDP, refused.answer());
                }
            }
        }
    }
}
