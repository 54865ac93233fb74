package org.parley.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Builds the handler chains of the transports' channels. */
final class Pipelines {
    /** The handshake is one HTTP request without a body; anything larger is not one. */
    private static final int MAX_HANDSHAKE_BYTES = 8192;
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final TransportSettings settings;
    private final TransportMetrics metrics;
    private final Connections connections;
    private final SipDispatcher dispatcher;
    private final ConnectionGate gate;

    Pipelines(TransportSettings settings, TransportMetrics metrics, Connections connections, Delivery delivery) {
        this.settings = settings;
        this.gate = new ConnectionGate(settings.limits(), metrics);
        this.metrics = metrics;
        this.connections = connections;
        this.dispatcher = new SipDispatcher(delivery);
    }

    /** Accepted TCP or TLS connections. */
    ChannelInitializer<Channel> streamServer(Transport transport) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!gate.admit(ch, transport)) {
                    return;
                }
                if (transport.secure()) {
                    ch.pipeline().addLast("tls", settings.sslContext().newHandler(ch.alloc()));
                }
                deadlines(ch.pipeline(), transport, false);
                stream(ch.pipeline(), transport);
            }
        };
    }

    /** Connections this server opens; a TLS peer must present a certificate for the address dialled. */
    ChannelInitializer<Channel> streamClient(Transport transport, SslContext clientSsl, InetSocketAddress destination) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (transport.secure()) {
                    SslHandler tls = clientSsl.newHandler(ch.alloc(), destination.getHostString(), destination.getPort());
                    SSLEngine engine = tls.engine();
                    SSLParameters params = engine.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    engine.setSSLParameters(params);
                    ch.pipeline().addLast("tls", tls);
                }
                deadlines(ch.pipeline(), transport, true);
                stream(ch.pipeline(), transport);
            }
        };
    }

    private void stream(ChannelPipeline p, Transport transport) {
        p.addLast("sip-encoder", new SipStreamEncoder(transport, metrics));
        p.addLast("sip-framer", new SipStreamFramer(transport, settings.maxMessageBytes(), metrics));
        p.addLast("sip-decoder", new SipFrameDecoder(transport, false, settings.maxMessageBytes(), metrics));
        tail(p, transport);
    }

    /** RFC 7118: an HTTP upgrade with subprotocol "sip", then one SIP message per WebSocket message. */
    ChannelInitializer<Channel> webSocket(Transport transport) {
        int max = settings.maxMessageBytes();
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .subprotocols(SipSubprotocolGuard.SUBPROTOCOL)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max).build())
                .build();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!gate.admit(ch, transport)) {
                    return;
                }
                ChannelPipeline p = ch.pipeline();
                if (transport.secure()) {
                    p.addLast("tls", settings.sslContext().newHandler(ch.alloc()));
                }
                deadlines(p, transport, false);
                p.addLast("http", new HttpServerCodec());
                p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
                p.addLast("ws-subprotocol", new SipSubprotocolGuard());
                p.addLast("ws", new WebSocketServerProtocolHandler(config));
                p.addLast("ws-aggregator", new WebSocketFrameAggregator(max));
                p.addLast("sip-encoder", new SipWebSocketEncoder(transport, metrics));
                p.addLast("ws-unwrapper", new WebSocketUnwrapper());
                p.addLast("sip-decoder", new SipFrameDecoder(transport, true, max, metrics));
                tail(p, transport);
            }
        };
    }

    private void deadlines(ChannelPipeline p, Transport transport, boolean opened) {
        p.addLast("deadlines", new ConnectionDeadlines(settings.limits(), transport, opened));
    }

    private void tail(ChannelPipeline p, Transport transport) {
        p.addLast("sip-dispatcher", dispatcher);
        p.addLast("connection-tracker", new ConnectionTracker(connections, transport));
        p.addLast("exceptions", ExceptionSink.INSTANCE);
    }
}
