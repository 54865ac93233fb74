package org.parley.sip.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP transport layer on Netty (RFC 3261 §18): UDP, TCP, TLS and WebSocket (RFC 7118)
 * listeners on one small NIO event loop group, connection reuse, RFC 3581 rport, RFC 5626
 * keep-alives and flows. Construct, {@link #start} with the handler of inbound messages,
 * {@link #close} to stop; a transport is started once.
 */
public final class NettySipTransport implements SipTransport, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettySipTransport.class);
    /** Large enough for any datagram, so that an oversized one is seen whole and refused, not cut short. */
    private static final int DATAGRAM_BUFFER_BYTES = 65536;
    /**
     * The UDP socket's kernel receive buffer asked for: the default (about 200 KiB) holds a few
     * hundred requests, which a busy server receives during one garbage collection pause, and a
     * datagram dropped there costs the client a 500 ms retransmission. Linux caps the request at
     * net.core.rmem_max; operators raise that to give bursts room.
     */
    private static final int DATAGRAM_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int EVENT_LOOP_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
    private static final byte[] LIMITED_BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    private record Destination(Transport transport, InetSocketAddress address) {
    }

    private final TransportSettings settings;
    private final TransportMetrics metrics;
    private final Map<Transport, Channel> listeners = new EnumMap<>(Transport.class);
    private final Map<Transport, AcceptWatch> acceptWatches = new EnumMap<>(Transport.class);
    /** Connections being opened, so that concurrent sends to one destination share one. */
    private final ConcurrentMap<Destination, CompletableFuture<Channel>> connecting = new ConcurrentHashMap<>();
    private volatile Set<InetAddress> broadcastAddresses = Set.of();
    private volatile EventLoopGroup group;
    /** Parse and deliver what the UDP event loop received (see {@link DatagramReceiver}). */
    /**
     * A virtual thread per datagram, which parses it, matches its transaction and, for a non-INVITE
     * request or response, runs the transaction user's callback too (the TU may block there): the
     * datagram changes thread once after the event loop, not twice (issue 13: the platform pool
     * this replaces handed every request on to a virtual thread of the TU's).
     */
    private volatile ExecutorService datagramWorkers;
    private volatile Connections connections;
    /**
     * The UDP listener's socket itself, written from the sending thread (see {@link #sendNow}); the
     * event loop reads it.
     */
    private volatile DatagramChannel udpSocket;
    private volatile Pipelines pipelines;
    private volatile SslContext clientSsl;

    public NettySipTransport(TransportSettings settings, MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = new TransportMetrics(registry);
    }

    /** Binds every enabled listener, returning once all are bound; when one cannot be, none stays bound. */
    public synchronized void start(InboundHandler handler) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        Delivery delivery = new Delivery(Objects.requireNonNull(handler, "handler"), metrics);
        connections = new Connections(metrics, handler);
        pipelines = new Pipelines(settings, metrics, connections, delivery);
        broadcastAddresses = localBroadcastAddresses();
        group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
        datagramWorkers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            clientSsl = settings.clientSslContext() != null ? settings.clientSslContext()
                    : SslContextBuilder.forClient().build();
            for (Transport t : Transport.values()) {
                if (settings.port(t) != TransportSettings.DISABLED) {
                    listeners.put(t, bind(t, delivery));
                }
            }
        } catch (SSLException e) {
            close();
            throw new IllegalStateException("cannot set up the TLS client", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        listeners.forEach((t, ch) -> log.info("SIP {} listening on {}", t, ch.localAddress()));
    }

    private Channel bind(Transport t, Delivery delivery) {
        AbstractBootstrap<?, ?> bootstrap = switch (t) {
            case UDP -> new Bootstrap().group(group).channelFactory(() -> new NioDatagramChannel(datagramSocket()))
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER_BYTES))
                    .option(ChannelOption.SO_RCVBUF, DATAGRAM_SOCKET_BUFFER_BYTES)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new DatagramReceiver(delivery, metrics, settings.maxMessageBytes(),
                                    datagramWorkers), ExceptionSink.INSTANCE);
                        }
                    });
            case TCP, TLS -> server(t).childHandler(pipelines.streamServer(t));
            case WS, WSS -> server(t).childHandler(pipelines.webSocket(t));
        };
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port(t));
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind SIP " + t + " to " + address, bound.cause());
        }
        return bound.channel();
    }

    private ServerBootstrap server(Transport t) {
        AcceptWatch watch = new AcceptWatch(t);
        acceptWatches.put(t, watch);
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).handler(watch)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true);
    }

    /** The port a transport listens on (the real one when configured as 0), or -1 when it does not. */
    public int boundPort(Transport transport) {
        Channel ch = listeners.get(transport);
        return ch == null ? TransportSettings.DISABLED : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * True while a transport's listener is open and, for the connection-oriented ones, accepting
     * (no accept failed within the last seconds): what /health reports per SIP listener.
     */
    public boolean listening(Transport transport) {
        Channel ch = listeners.get(transport);
        AcceptWatch watch = acceptWatches.get(transport);
        return ch != null && ch.isActive() && (watch == null || watch.accepting());
    }

    @Override
    public InetSocketAddress advertised(Transport transport) {
        int port = boundPort(transport);
        if (port == TransportSettings.DISABLED) {
            throw new IllegalStateException("SIP " + transport + " is not listening");
        }
        return InetSocketAddress.createUnresolved(settings.advertisedAddress(), port);
    }

    @Override
    public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
        if (flow.transport() == Transport.UDP) {
            return sendDatagram(message, flow.remote());
        }
        Channel ch = connections().byId(flow.connectionId());
        if (ch == null || !ch.isActive()) {
            return CompletableFuture.failedFuture(new FlowFailedException(flow));
        }
        return write(ch, message);
    }

    @Override
    public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
        if (transport == Transport.UDP) {
            return sendDatagram(message, destination);
        }
        if (isBroadcast(destination)) {
            return refuseBroadcast(destination);
        }
        Channel open = connections().to(transport, destination);
        if (open != null && open.isActive()) {
            return write(open, message);
        }
        if (transport == Transport.WS || transport == Transport.WSS) {
            return CompletableFuture.failedFuture(new IOException("no open " + transport + " connection to "
                    + Flow.format(destination) + ": WebSocket connections are opened by clients (RFC 7118)"));
        }
        return connect(transport, destination).thenCompose(ch -> write(ch, message));
    }

    @Override
    public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
        Via via = response.topVia();
        if (!requestFlow.transport().reliable()) {
            return sendDatagram(response, ResponseRouting.datagram(via, requestFlow));
        }
        Channel ch = connections().byId(requestFlow.connectionId());
        if (ch != null && ch.isActive()) {
            return write(ch, response);
        }
        return send(response, requestFlow.transport(), ResponseRouting.reliable(via));
    }

    /** Over UDP the octets are written as they are; a connection's flow takes the message path. */
    @Override
    public CompletableFuture<Flow> resend(byte[] wire, Flow flow) {
        Channel udp = listeners.get(Transport.UDP);
        if (flow.transport() != Transport.UDP || udp == null) {
            return SipTransport.super.resend(wire, flow);
        }
        try {
            if (sendNow(wire, flow.remote())) {
                metrics.resent(Transport.UDP, wire);
                return CompletableFuture.completedFuture(flow);
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Flow> result = new CompletableFuture<>();
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), flow.remote())).addListener(f -> {
            if (f.isSuccess()) {
                metrics.resent(Transport.UDP, wire);
                result.complete(flow);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    @Override
    public boolean isOpen(Flow flow) {
        Channel ch = flow.transport() == Transport.UDP ? listeners.get(Transport.UDP)
                : connections().byId(flow.connectionId());
        return ch != null && ch.isActive();
    }

    /** Stops accepting, closes every connection (their flows are reported closed), then stops the threads. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        listeners.values().forEach(ch -> ch.close().awaitUninterruptibly());
        listeners.clear();
        udpSocket = null;
        connections.closeAll();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        group = null;
        datagramWorkers.shutdown();
        try {
            datagramWorkers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        datagramWorkers = null;
    }

    private Connections connections() {
        Connections c = connections;
        if (c == null) {
            throw new IllegalStateException("transport not started");
        }
        return c;
    }

    private CompletableFuture<Flow> write(Channel ch, SipMessage message) {
        Flow flow = ch.attr(Connections.FLOW).get();
        CompletableFuture<Flow> result = new CompletableFuture<>();
        ConnectionDeadlines.sending(ch, message);
        ch.writeAndFlush(message).addListener(f -> {
            if (f.isSuccess()) {
                result.complete(flow);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    private CompletableFuture<Flow> sendDatagram(SipMessage message, InetSocketAddress destination) {
        Channel udp = listeners.get(Transport.UDP);
        if (udp == null) {
            return CompletableFuture.failedFuture(new IOException("SIP UDP is not listening"));
        }
        if (destination.isUnresolved()) {
            return CompletableFuture.failedFuture(new IOException("unresolved destination " + destination));
        }
        if (isBroadcast(destination)) {
            return refuseBroadcast(destination);
        }
        Flow flow = new Flow(Transport.UDP, (InetSocketAddress) udp.localAddress(), destination, null);
        byte[] wire = message.encode();
        try {
            if (sendNow(wire, destination)) {
                metrics.sent(Transport.UDP, message);
                return CompletableFuture.completedFuture(flow);
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Flow> result = new CompletableFuture<>();
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), destination)).addListener(f -> {
            if (f.isSuccess()) {
                metrics.sent(Transport.UDP, message);
                result.complete(flow);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /**
     * Writes a datagram on the calling thread, as every worker may at once (the JDK's datagram
     * channel serialises writers and lets the event loop read meanwhile). Handing each send to the
     * UDP event loop instead made that one thread wake up for every response and relayed request,
     * beside reading every request: the server's serial limit under load (issue 13). False when the
     * socket's send buffer is full, so the caller queues the datagram on the event loop, which
     * waits for room.
     */
    private boolean sendNow(byte[] wire, InetSocketAddress destination) throws IOException {
        DatagramChannel socket = udpSocket;
        return socket != null && socket.send(ByteBuffer.wrap(wire), destination) == wire.length;
    }

    /** Opens the UDP listener's socket for Netty, keeping it for {@link #sendNow}. */
    private DatagramChannel datagramSocket() {
        try {
            DatagramChannel socket = SelectorProvider.provider().openDatagramChannel();
            udpSocket = socket;
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the SIP UDP socket", e);
        }
    }

    private CompletableFuture<Channel> connect(Transport transport, InetSocketAddress destination) {
        Destination key = new Destination(transport, destination);
        return connecting.computeIfAbsent(key, k -> {
            CompletableFuture<Channel> result = new CompletableFuture<>();
            new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(pipelines.streamClient(transport, clientSsl, destination))
                    .connect(destination)
                    .addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            // Netty reports the connect before channelActive has registered the
                            // connection; once that is done it can be found, and used, as a flow.
                            f.channel().eventLoop().execute(() -> {
                                connecting.remove(k);
                                result.complete(f.channel());
                            });
                        } else {
                            connecting.remove(k);
                            result.completeExceptionally(f.cause());
                        }
                    });
            return result;
        });
    }

    /** RFC 4475 §3.3.10: a Via naming a broadcast address must not make us flood the network. */
    private boolean isBroadcast(InetSocketAddress destination) {
        InetAddress a = destination.getAddress();
        return a instanceof Inet4Address
                && (Arrays.equals(a.getAddress(), LIMITED_BROADCAST) || broadcastAddresses.contains(a));
    }

    private static CompletableFuture<Flow> refuseBroadcast(InetSocketAddress destination) {
        log.warn("not sending to broadcast address {}", Flow.format(destination));
        return CompletableFuture.failedFuture(new IOException("refusing to send to broadcast address "
                + Flow.format(destination)));
    }

    /** The directed broadcast addresses of the local networks, which are as bad a destination as 255.255.255.255. */
    private static Set<InetAddress> localBroadcastAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    if (ia.getBroadcast() != null) {
                        out.add(ia.getBroadcast());
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces; only 255.255.255.255 is known as broadcast", e);
        }
        return Set.copyOf(out);
    }
}
