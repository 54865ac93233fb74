package org.parley.sip.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.parley.sip.message.SipMessage;

/** The end of a connection's inbound pipeline: messages go up with the connection's flow. */
@Sharable
final class SipDispatcher extends SimpleChannelInboundHandler<SipMessage> {
    private final Delivery delivery;

    SipDispatcher(Delivery delivery) {
        this.delivery = delivery;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipMessage message) {
        ConnectionDeadlines.progress(ctx.channel());
        delivery.deliver(message, ctx.channel().attr(Connections.FLOW).get());
    }
}
