package org.parley.sip.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Keeps {@link Connections} in step with one connection's life: open once it carries SIP (at
 * once for TCP and TLS, after the handshake for WebSocket) until it closes.
 */
final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private final Connections connections;
    private final Transport transport;

    ConnectionTracker(Connections connections, Transport transport) {
        this.connections = connections;
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connections.attach(ctx.channel(), transport);
        if (transport == Transport.TCP || transport == Transport.TLS) {
            connections.register(ctx.channel());
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            connections.register(ctx.channel());
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connections.unregister(ctx.channel());
        super.channelInactive(ctx);
    }
}
