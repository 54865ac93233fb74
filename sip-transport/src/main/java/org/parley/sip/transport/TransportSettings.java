package org.parley.sip.transport;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.Objects;

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
 */
public record TransportSettings(InetAddress bindAddress, String advertisedAddress, int udpPort, int tcpPort,
                                int tlsPort, int wsPort, int wssPort, SslContext sslContext,
                                SslContext clientSslContext, int maxMessageBytes, ConnectionLimits limits) {

    public static final int DISABLED = -1;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65535;

    public TransportSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        Objects.requireNonNull(limits, "limits");
        for (int port : new int[] {udpPort, tcpPort, tlsPort, wsPort, wssPort}) {
            if (port < DISABLED || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        if (maxMessageBytes < 256) {
            throw new IllegalArgumentException("maxMessageBytes too small: " + maxMessageBytes);
        }
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

        public TransportSettings build() {
            return new TransportSettings(bindAddress, advertisedAddress, udpPort, tcpPort, tlsPort, wsPort, wssPort,
                    sslContext, clientSslContext, maxMessageBytes,
                    limits != null ? limits : ConnectionLimits.defaults());
        }
    }
}
