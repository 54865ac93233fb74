package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes MSRP messages to a byte stream (TCP, TLS): straight into one buffer of the channel's
 * allocator (direct, pooled), sized for the message, so a relayed chunk is copied once on its way out.
 */
@Sharable
public final class MsrpEncoder extends MessageToByteEncoder<MsrpMessage> {
    public MsrpEncoder() {
        super(MsrpMessage.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, MsrpMessage message, boolean preferDirect) {
        return ctx.alloc().ioBuffer(message.encodedSizeHint());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MsrpMessage message, ByteBuf out) {
        message.encode(out);
    }
}
