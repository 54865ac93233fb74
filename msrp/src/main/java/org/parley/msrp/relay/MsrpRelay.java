package org.parley.msrp.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.msrp.MsrpDecoder;
import org.parley.msrp.MsrpEncoder;
import org.parley.msrp.MsrpSubprotocolGuard;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpWebSocketEncoder;
import org.parley.msrp.WebSocketUnwrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MSRP relay (RFC 4976) on Netty: TCP, TLS, WS and WSS listeners (RFC 7977 for WebSocket)
 * whose clients AUTH with their account digest and then exchange SEND and REPORT through it.
 * Construct, {@link #start}, {@link #close}; a relay is started once.
 */
public final class MsrpRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MsrpRelay.class);
    private static final int EVENT_LOOP_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
    /** The handshake is one HTTP request without a body; anything larger is not one. */
    private static final int MAX_HANDSHAKE_BYTES = 8192;
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final long PURGE_SECONDS = 60;

    private final MsrpRelaySettings settings;
    private final Clock clock;
    private final Grants grants;
    private final Map<MsrpTransport, Channel> listeners = new EnumMap<>(MsrpTransport.class);
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final RelayHandler handler;
    private volatile EventLoopGroup group;
    private volatile ChannelGroup connections;
    private ScheduledFuture<?> purge;

    /** @param gate the server's one authentication gate: its guard and attempts log see every AUTH */
    public MsrpRelay(MsrpRelaySettings settings, DigestAuthenticator digest, AuthGate gate,
                     Clock clock) {
        this(settings, digest, gate, clock, RelayListener.NONE);
    }

    /** @param listener told of what the relay carries and of grants that end (the server's chat sessions) */
    public MsrpRelay(MsrpRelaySettings settings, DigestAuthenticator digest, AuthGate gate, Clock clock,
                     RelayListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grants = new Grants(listener);
        RelayAuth auth = new RelayAuth(settings, digest, grants, clock, this::boundPort, gate);
        this.handler = new RelayHandler(settings, grants, auth, clock, blocking, listener);
    }

    /** Binds every enabled listener; when one cannot be bound, none stays bound. */
    public synchronized void start() {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            for (MsrpTransport t : MsrpTransport.values()) {
                if (settings.port(t) != MsrpRelaySettings.DISABLED) {
                    listeners.put(t, bind(t));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        purge = group.next().scheduleAtFixedRate(() -> grants.purge(clock.instant()), PURGE_SECONDS, PURGE_SECONDS,
                TimeUnit.SECONDS);
        listeners.forEach((t, ch) -> log.info("MSRP relay {} listening on {}", t, ch.localAddress()));
    }

    private Channel bind(MsrpTransport t) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) throws SSLException {
                        connections.add(ch);
                        ch.attr(RelayHandler.TRANSPORT).set(t);
                        pipeline(ch, t);
                    }
                });
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port(t));
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind MSRP " + t + " to " + address, bound.cause());
        }
        return bound.channel();
    }

    private void pipeline(Channel ch, MsrpTransport t) {
        ChannelPipeline p = ch.pipeline();
        if (t.secure()) {
            p.addLast("tls", settings.sslContext().newHandler(ch.alloc()));
        }
        if (!settings.idleTimeout().isZero()) {
            p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        if (t.webSocket()) {
            int max = settings.limits().maxHeaderBytes() + settings.limits().maxChunkBytes() + 256;
            p.addLast("http", new HttpServerCodec());
            p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
            p.addLast("ws-subprotocol", new MsrpSubprotocolGuard());
            p.addLast("ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/").checkStartsWith(true).subprotocols(MsrpSubprotocolGuard.SUBPROTOCOL)
                    .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                    .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max).build()).build()));
            p.addLast("ws-aggregator", new WebSocketFrameAggregator(max));
            p.addLast("msrp-encoder", new MsrpWebSocketEncoder());
            p.addLast("ws-unwrapper", new WebSocketUnwrapper());
        } else {
            p.addLast("msrp-encoder", new MsrpEncoder());
        }
        p.addLast("msrp-decoder", new MsrpDecoder(settings.limits()));
        p.addLast("relay", handler);
        p.addLast("closer", Closer.INSTANCE);
    }

    /** The port a transport listens on (the real one when configured as 0), or -1 when it does not. */
    public int boundPort(MsrpTransport transport) {
        Channel ch = listeners.get(transport);
        return ch == null ? MsrpRelaySettings.DISABLED : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Open client connections, for monitoring. */
    public int connectionCount() {
        ChannelGroup c = connections;
        return c == null ? 0 : c.size();
    }

    /** URIs handed out and still granted, for monitoring. */
    public int grantCount() {
        return grants.size();
    }

    /** SENDs forwarded and waiting for the next hop's answer: back to zero when the relay has forgotten them. */
    public int pendingCount() {
        return handler.pendingCount();
    }

    /** Stops accepting, closes every connection (their grants end with them), then stops the threads. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        if (purge != null) {
            purge.cancel(false);
        }
        listeners.values().forEach(ch -> ch.close().awaitUninterruptibly());
        listeners.clear();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        group = null;
        blocking.shutdown();
    }

    /** Closes idle connections and any connection in an unknown state, with no stack trace for what peers do. */
    @Sharable
    private static final class Closer extends ChannelDuplexHandler {
        static final Closer INSTANCE = new Closer();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                log.debug("closing idle MSRP connection from {}", ctx.channel().remoteAddress());
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException || cause.getCause() instanceof SSLException
                    || cause instanceof DecoderException) {
                log.debug("{} on MSRP connection from {}: {}", cause.getClass().getSimpleName(),
                        ctx.channel().remoteAddress(), cause.getMessage());
            } else {
                log.warn("unexpected failure on MSRP connection from {}", ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }
}
