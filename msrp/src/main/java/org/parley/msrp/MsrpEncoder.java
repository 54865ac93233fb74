package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes MSRP messages to a byte stream (TCP, TLS). */
@Sharable
public final class MsrpEncoder extends MessageToByteEncoder<MsrpMessage> {
    public MsrpEncoder() {
        super(MsrpMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MsrpMessage message, ByteBuf out) {
        out.writeBytes(message.encode());
    }
}
