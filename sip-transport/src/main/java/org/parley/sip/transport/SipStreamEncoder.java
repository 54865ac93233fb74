package org.parley.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.parley.sip.message.SipMessage;

/** Writes messages onto a byte stream (TCP, TLS); keep-alive pongs, already bytes, pass by. */
@Sharable
final class SipStreamEncoder extends MessageToByteEncoder<SipMessage> {
    private final Transport transport;
    private final TransportMetrics metrics;

    SipStreamEncoder(Transport transport, TransportMetrics metrics) {
        super(SipMessage.class);
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SipMessage message, ByteBuf out) {
        out.writeBytes(message.encode());
        metrics.sent(transport, message);
    }
}
