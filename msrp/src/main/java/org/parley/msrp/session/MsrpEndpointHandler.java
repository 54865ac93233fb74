package org.parley.msrp.session;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.List;
import org.parley.msrp.MalformedMsrp;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects an endpoint's {@link MsrpSessions} to its connections: each decoded message goes to
 * the session it names, and what the session answers is written back on the connection it
 * came from; malformed requests get their 400 or 413 here.
 */
@Sharable
public final class MsrpEndpointHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger log = LoggerFactory.getLogger(MsrpEndpointHandler.class);

    private final MsrpSessions sessions;

    public MsrpEndpointHandler(MsrpSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case MsrpRequest r -> sessions.receive(r).forEach(ctx::write);
            case MsrpResponse r -> sessions.receive(r);
            case MalformedMsrp m when m.request() ->
                    ctx.write(MsrpResponse.to(m.transactionId(), m.headers(), m.status(), m.reason(), List.of()));
            case MalformedMsrp m -> log.debug("dropping malformed MSRP response {}: {}", m.transactionId(), m.reason());
            default -> log.debug("ignoring {}", msg.getClass().getSimpleName());
        }
        ctx.flush();
    }
}
