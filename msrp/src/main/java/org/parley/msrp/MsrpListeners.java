package org.parley.msrp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one MSRP service — the relay, Parley's own endpoint — on TCP, TLS, WS and
 * WSS (RFC 7977): the framing, TLS with the server certificate, the WebSocket handshake with the
 * {@code msrp} subprotocol, the idle timeout, and one application handler at the end of every
 * pipeline. Construct, {@link #start}, {@link #close}; started once.
 */
public final class MsrpListeners implements AutoCloseable {
    /** A port that says "this transport is off". */
    public static final int DISABLED = -1;
    private static final Logger log = LoggerFactory.getLogger(MsrpListeners.class);
    /** One event loop per CPU: the relay's work is all on them (nothing on them blocks). */
    private static final int EVENT_LOOP_THREADS = Runtime.getRuntime().availableProcessors();
    /** The handshake is one HTTP request without a body; anything larger is not one. */
    private static final int MAX_HANDSHAKE_BYTES = 8192;
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /**
     * The largest read of a connection. Netty's default stops at 64 KiB, less than one 64 KiB message
     * in 8 KiB chunks with their header fields: every such message took two reads or more, each a system
     * call and a pass through the pipeline. The buffer grows to this only while reads fill it.
     */
    private static final int MAX_READ_BYTES = 256 * 1024;

    private final String name;
    private final Function<MsrpTransport, InetAddress> bindAddresses;
    private final ToIntFunction<MsrpTransport> ports;
    private final SslContext sslContext;
    private final MsrpLimits limits;
    private final Duration idleTimeout;
    private final BiConsumer<Channel, MsrpTransport> accepted;
    private final ChannelHandler application;
    private final boolean wireRequests;
    private final Map<MsrpTransport, Channel> listeners = new EnumMap<>(MsrpTransport.class);
    private volatile EventLoopGroup group;
    private volatile ChannelGroup connections;

    /**
     * @param name        what the log lines call this service ("MSRP relay", "MSRP endpoint")
     * @param bindAddresses where the listener of each transport binds
     * @param ports       per transport: 0 = ephemeral, {@link #DISABLED} = off (TLS and WSS must be off without a certificate)
     * @param idleTimeout a connection with no traffic either way for this long is closed; zero keeps it
     * @param accepted    told of every new connection before its pipeline is built
     * @param application the last handler of every pipeline: it gets decoded MSRP messages
     */
    public MsrpListeners(String name, Function<MsrpTransport, InetAddress> bindAddresses, ToIntFunction<MsrpTransport> ports, SslContext sslContext,
                         MsrpLimits limits, Duration idleTimeout, BiConsumer<Channel, MsrpTransport> accepted,
                         ChannelHandler application) {
        this(name, bindAddresses, ports, sslContext, limits, idleTimeout, accepted, application, false);
    }

    /**
     * @param wireRequests SEND and REPORT reach the application as {@link WireRequest}s, their bytes
     *                     as received (a relay passes them on); else as {@link MsrpRequest}s
     */
    public MsrpListeners(String name, Function<MsrpTransport, InetAddress> bindAddresses, ToIntFunction<MsrpTransport> ports,
                         SslContext sslContext, MsrpLimits limits, Duration idleTimeout,
                         BiConsumer<Channel, MsrpTransport> accepted, ChannelHandler application, boolean wireRequests) {
        this.name = Objects.requireNonNull(name, "name");
        this.bindAddresses = Objects.requireNonNull(bindAddresses, "bindAddresses");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.sslContext = sslContext;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.accepted = Objects.requireNonNull(accepted, "accepted");
        this.application = Objects.requireNonNull(application, "application");
        this.wireRequests = wireRequests;
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
                if (ports.applyAsInt(t) != DISABLED) {
                    if (t.secure() && sslContext == null) {
                        throw new IllegalStateException(name + " " + t + " needs a certificate");
                    }
                    listeners.put(t, bind(t));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        listeners.forEach((t, ch) -> log.info("{} {} listening on {}", name, t, ch.localAddress()));
    }

    /** The event loops, for timers that belong with the connections (started only). */
    public EventLoopGroup group() {
        return group;
    }

    private Channel bind(MsrpTransport t) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                // pooled direct buffers, from arenas allocated once and kept: with the default (adaptive)
                // allocator, the profiles showed the encoder's buffers taking fresh native memory, zeroed each time
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        accepted.accept(ch, t);
                        pipeline(ch, t);
                    }
                });
        InetSocketAddress address = new InetSocketAddress(bindAddresses.apply(t), ports.applyAsInt(t));
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind " + name + " " + t + " to " + address, bound.cause());
        }
        return bound.channel();
    }

    private void pipeline(Channel ch, MsrpTransport t) {
        ChannelPipeline p = ch.pipeline();
        if (t.secure()) {
            p.addLast("tls", sslContext.newHandler(ch.alloc()));
        }
        if (!idleTimeout.isZero()) {
            p.addLast("idle", new IdleTimeout(idleTimeout));
        }
        if (t.webSocket()) {
            int max = limits.maxHeaderBytes() + limits.maxChunkBytes() + 256;
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
        p.addLast("msrp-decoder", new MsrpDecoder(limits, wireRequests));
        p.addLast("application", application);
        p.addLast("closer", Closer.INSTANCE);
    }

    /** The port a transport listens on (the real one when configured as 0), or {@link #DISABLED}. */
    public int boundPort(MsrpTransport transport) {
        Channel ch = listeners.get(transport);
        return ch == null ? DISABLED : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Open client connections, for monitoring. */
    public int connectionCount() {
        ChannelGroup c = connections;
        return c == null ? 0 : c.size();
    }

    /** The open client connections as they are now, for monitoring. */
    public List<Channel> connections() {
        ChannelGroup c = connections;
        return c == null ? List.of() : List.copyOf(c);
    }

    /** Stops accepting, closes every connection, then stops the threads. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        listeners.values().forEach(ch -> ch.close().awaitUninterruptibly());
        listeners.clear();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        group = null;
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
