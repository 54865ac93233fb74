package org.parley.sip.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
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
    /**
     * The UDP socket's kernel receive buffer asked for: the default (about 200 KiB) holds a few
     * hundred requests, which a busy server receives during one garbage collection pause, and a
     * datagram dropped there costs the client a 500 ms retransmission. Linux caps the request at
     * net.core.rmem_max; operators raise that to give bursts room.
     */
    private static final int DATAGRAM_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** How long a stop waits for the datagrams in hand to be handled. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
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
    private volatile Connections connections;
    /**
     * The UDP listener's socket, outside Netty: its {@link DatagramReceiver}s read it, and every
     * thread that sends a datagram writes it (see {@link #sendNow}).
     */
    private volatile DatagramChannel udpSocket;
    /** Where {@link #udpSocket} is bound: the local end of every UDP flow. */
    private volatile InetSocketAddress udpAddress;
    private volatile DatagramReceiver udpReceiver;
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
        try {
            clientSsl = settings.clientSslContext() != null ? settings.clientSslContext()
                    : SslContextBuilder.forClient().build();
            if (settings.port(Transport.UDP) != TransportSettings.DISABLED) {
                bindDatagram(delivery);
            }
            for (Transport t : Transport.values()) {
                if (t != Transport.UDP && settings.port(t) != TransportSettings.DISABLED) {
                    listeners.put(t, bind(t));
                }
            }
        } catch (SSLException e) {
            close();
            throw new IllegalStateException("cannot set up the TLS client", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (udpSocket != null) {
            log.info("SIP UDP listening on {}", udpAddress);
        }
        listeners.forEach((t, ch) -> log.info("SIP {} listening on {}", t, ch.localAddress()));
    }

    /**
     * The UDP listener: a JDK socket in blocking mode that {@link DatagramReceiver}'s virtual threads
     * read, not a Netty channel, so that a datagram is handled on the thread that read it (issue 13).
     */
    private void bindDatagram(Delivery delivery) {
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port(Transport.UDP));
        try {
            DatagramChannel socket = DatagramChannel.open();
            try {
                socket.setOption(StandardSocketOptions.SO_RCVBUF, DATAGRAM_SOCKET_BUFFER_BYTES);
                socket.bind(address);
                DatagramReceiver receiver = new DatagramReceiver(socket,
                        new DatagramHandling(socket, delivery, metrics, settings.maxMessageBytes()), metrics,
                        settings.udpReceivers());
                udpAddress = (InetSocketAddress) socket.getLocalAddress();
                udpSocket = socket;
                udpReceiver = receiver;
                receiver.start();
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind SIP UDP to " + address, e);
        }
    }

    private Channel bind(Transport t) {
        AbstractBootstrap<?, ?> bootstrap = switch (t) {
            case UDP -> throw new IllegalArgumentException("UDP is not a Netty listener");
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
        if (transport == Transport.UDP) {
            InetSocketAddress udp = udpAddress;
            return udp == null ? TransportSettings.DISABLED : udp.getPort();
        }
        Channel ch = listeners.get(transport);
        return ch == null ? TransportSettings.DISABLED : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * True while a transport's listener is open and, for the connection-oriented ones, accepting
     * (no accept failed within the last seconds): what /health reports per SIP listener.
     */
    public boolean listening(Transport transport) {
        if (transport == Transport.UDP) {
            return udpOpen();
        }
        Channel ch = listeners.get(transport);
        AcceptWatch watch = acceptWatches.get(transport);
        return ch != null && ch.isActive() && (watch == null || watch.accepting());
    }

    private boolean udpOpen() {
        DatagramChannel socket = udpSocket;
        return socket != null && socket.isOpen();
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
            return sendDatagram(message, null, flow.remote(), flow);
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
            return sendDatagram(response, null, ResponseRouting.datagram(via, requestFlow), requestFlow);
        }
        Channel ch = connections().byId(requestFlow.connectionId());
        if (ch != null && ch.isActive()) {
            return write(ch, response);
        }
        return send(response, requestFlow.transport(), ResponseRouting.reliable(via));
    }

    /** Over UDP the octets given are written; a connection's flow takes the message path. */
    @Override
    public CompletableFuture<Flow> sendResponse(SipResponse response, byte[] wire, Flow requestFlow) {
        if (requestFlow.transport().reliable()) {
            return sendResponse(response, requestFlow);
        }
        return sendDatagram(response, wire, ResponseRouting.datagram(response.topVia(), requestFlow), requestFlow);
    }

    /** Over UDP the octets are written as they are; a connection's flow takes the message path. */
    @Override
    public CompletableFuture<Flow> resend(byte[] wire, Flow flow) {
        if (flow.transport() != Transport.UDP || udpSocket == null) {
            return SipTransport.super.resend(wire, flow);
        }
        try {
            sendNow(wire, flow.remote());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        metrics.resent(Transport.UDP, wire);
        return CompletableFuture.completedFuture(flow);
    }

    @Override
    public boolean isOpen(Flow flow) {
        if (flow.transport() == Transport.UDP) {
            return udpOpen();
        }
        Channel ch = connections().byId(flow.connectionId());
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
        DatagramReceiver receiver = udpReceiver;
        udpReceiver = null;
        udpSocket = null;
        udpAddress = null;
        if (receiver != null) {
            receiver.close(STOP_WAIT);
        }
        connections.closeAll();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        group = null;
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
        return sendDatagram(message, null, destination, null);
    }

    /**
     * {@code wire}: the message's octets when the caller has them, else null (encoded here);
     * {@code known}: a flow that may already be the one the datagram leaves on (the request's, for
     * a response sent back to its source, RFC 3581 §4), else null.
     */
    private CompletableFuture<Flow> sendDatagram(SipMessage message, byte[] wire, InetSocketAddress destination,
                                                 Flow known) {
        InetSocketAddress local = udpAddress;
        if (local == null) {
            return CompletableFuture.failedFuture(new IOException("SIP UDP is not listening"));
        }
        if (destination.isUnresolved()) {
            return CompletableFuture.failedFuture(new IOException("unresolved destination " + destination));
        }
        if (isBroadcast(destination)) {
            return refuseBroadcast(destination);
        }
        try {
            sendNow(wire != null ? wire : message.encode(), destination);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        metrics.sent(Transport.UDP, message);
        // the request's own flow when the response went back where the request came from: no flow per response
        Flow flow = known != null && known.remote() == destination && local.equals(known.local())
                ? known : new Flow(Transport.UDP, local, destination, null);
        return CompletableFuture.completedFuture(flow);
    }

    /**
     * Writes a datagram on the calling thread, as every thread may at once (the JDK's datagram
     * channel serialises writers and lets the receivers read meanwhile): no I/O thread wakes up for
     * it (issue 13). The socket is in blocking mode, so a full send buffer makes the sender wait
     * for room, as a virtual thread does without holding a carrier.
     */
    private void sendNow(byte[] wire, InetSocketAddress destination) throws IOException {
        DatagramChannel socket = udpSocket;
        if (socket == null) {
            throw new ClosedChannelException();
        }
        socket.send(ByteBuffer.wrap(wire), destination);
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
