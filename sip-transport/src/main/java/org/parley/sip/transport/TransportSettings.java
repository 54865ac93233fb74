package org.parley.sip.transport;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.parley.config.Config;

/**
 * Where and how {@link NettySipTransport} listens.
 *
 * @param bindAddress        the local address every listener binds to
 * @param advertisedAddress  the host put in Via and Record-Route (a name or an IP literal)
 * @param udpPort            0 = ephemeral, -1 = disabled; the same for the other ports
 * @param sslContext         server side of TLS and WSS; null disables both whatever their ports
 * @param clientSslContext   client side of outgoing TLS connections; null = the JDK default trust
 * @param maxMessageBytes    larger messages are refused with 513 (RFC 3261 §18.1.1, §21.5.14)
 * @param limits             connection caps and deadlines of TCP, TLS, WS and WSS
 * @param udpReceivers       virtual threads kept reading the UDP socket while none has work (see
 *                           {@link DatagramReceiver}); more are started while they are all busy
 */
public record TransportSettings(InetAddress bindAddress, String advertisedAddress, int udpPort, int tcpPort,
                                int tlsPort, int wsPort, int wssPort, SslContext sslContext,
                                SslContext clientSslContext, int maxMessageBytes, ConnectionLimits limits,
                                int udpReceivers) {

    public static final int DISABLED = -1;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65535;
    public static final int DEFAULT_UDP_RECEIVERS = 2;
    /** Room for a request line and the mandatory header fields (RFC 3261 §8.1.1). */
    static final int MIN_MAX_MESSAGE_BYTES = 256;

    public TransportSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        Objects.requireNonNull(limits, "limits");
        for (int port : new int[] {udpPort, tcpPort, tlsPort, wsPort, wssPort}) {
            if (port < DISABLED || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes too small: " + maxMessageBytes);
        }
        if (udpReceivers < 1) {
            throw new IllegalArgumentException("udpReceivers must be at least 1: " + udpReceivers);
        }
    }

    /**
     * The {@code sip.*} keys of the listeners and their connections; no TLS context yet
     * ({@link #withSslContext}: the assembly finds or generates the certificate at start).
     *
     * @throws org.parley.config.ConfigException naming the first bad key
     */
    public static TransportSettings from(Config c) {
        String bind = c.required("sip.bind-address");
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw c.invalid("sip.bind-address", "cannot be resolved");
        }
        // A wildcard or loopback bind has no address a peer could use; 127.0.0.1 at least works locally.
        String advertised = c.optional("sip.advertised-address").orElse(
                bindAddress.isAnyLocalAddress() || bindAddress.isLoopbackAddress() ? "127.0.0.1" : bind);
        int maxMessageBytes = c.positive("sip.max-message-bytes");
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
            throw c.invalid("sip.max-message-bytes", "must be at least " + MIN_MAX_MESSAGE_BYTES);
        }
        return new TransportSettings(bindAddress, advertised, c.port("sip.udp.port"), c.port("sip.tcp.port"),
                c.port("sip.tls.port"), c.port("sip.ws.port"), c.port("sip.wss.port"), null, null, maxMessageBytes,
                ConnectionLimits.from(c), c.positive("sip.udp.receivers"));
    }

    /** The same listeners with TLS and WSS served on {@code context}. */
    public TransportSettings withSslContext(SslContext context) {
        return new TransportSettings(bindAddress, advertisedAddress, udpPort, tcpPort, tlsPort, wsPort, wssPort,
                context, clientSslContext, maxMessageBytes, limits, udpReceivers);
    }

    /** The configured port of a transport, {@link #DISABLED} when it is off or lacks a certificate. */
    public int port(Transport transport) {
        return switch (transport) {
            case UDP -> udpPort;
            case TCP -> tcpPort;
            case WS -> wsPort;
            case TLS -> sslContext == null ? DISABLED : tlsPort;
            case WSS -> sslContext == null ? DISABLED : wssPort;
        };
    }

    public static Builder builder(InetAddress bindAddress, String advertisedAddress) {
        return new Builder(bindAddress, advertisedAddress);
    }

    /** Starts from the RFC 3261 / RFC 7118 well-known ports: 5060, 5061, and WebSocket off. */
    public static final class Builder {
        private final InetAddress bindAddress;
        private final String advertisedAddress;
        private int udpPort = 5060;
        private int tcpPort = 5060;
        private int tlsPort = 5061;
        private int wsPort = DISABLED;
        private int wssPort = DISABLED;
        private SslContext sslContext;
        private SslContext clientSslContext;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private ConnectionLimits limits;
        private int udpReceivers = DEFAULT_UDP_RECEIVERS;

        private Builder(InetAddress bindAddress, String advertisedAddress) {
            this.bindAddress = bindAddress;
            this.advertisedAddress = advertisedAddress;
        }

        public Builder port(Transport transport, int port) {
            switch (transport) {
                case UDP -> udpPort = port;
                case TCP -> tcpPort = port;
                case TLS -> tlsPort = port;
                case WS -> wsPort = port;
                case WSS -> wssPort = port;
            }
            return this;
        }

        public Builder sslContext(SslContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder clientSslContext(SslContext context) {
            this.clientSslContext = context;
            return this;
        }

        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        public Builder limits(ConnectionLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder udpReceivers(int receivers) {
            this.udpReceivers = receivers;
            return this;
        }

        public TransportSettings build() {
            return new TransportSettings(bindAddress, advertisedAddress, udpPort, tcpPort, tlsPort, wsPort, wssPort,
                    sslContext, clientSslContext, maxMessageBytes,
                    limits != null ? limits : ConnectionLimits.defaults(), udpReceivers);
        }
    }
}
