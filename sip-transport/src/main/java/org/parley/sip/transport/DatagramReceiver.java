package org.parley.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP: each datagram is one message (RFC 3261 §18.3). A malformed request is answered to the
 * address it came from, since its Via cannot be trusted.
 */
@Sharable
final class DatagramReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(DatagramReceiver.class);

    private final Delivery delivery;
    private final TransportMetrics metrics;
    private final int maxBytes;

    DatagramReceiver(Delivery delivery, TransportMetrics metrics, int maxBytes) {
        this.delivery = delivery;
        this.metrics = metrics;
        this.maxBytes = maxBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress source = packet.sender();
        switch (InboundParsing.parse(packet.content(), true, maxBytes)) {
            case InboundParsing.Accepted accepted -> delivery.deliver(accepted.message(),
                    new Flow(Transport.UDP, (InetSocketAddress) ctx.channel().localAddress(), source, null));
            case InboundParsing.Refused refused -> {
                metrics.malformed(Transport.UDP);
                log.debug("malformed datagram from {}: {}", source, refused.fault());
                if (refused.answer() != null) {
                    ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(refused.answer().encode()), source));
                    metrics.sent(Transport.UDP, refused.answer());
                }
            }
        }
    }
}
