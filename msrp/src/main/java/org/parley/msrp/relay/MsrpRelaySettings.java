package org.parley.msrp.relay;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpTransport;

/**
 * Where and how the {@link MsrpRelay} listens and what it grants.
 *
 * @param bindAddress    the local address every listener binds to
 * @param advertisedHost the host in the URIs the relay hands out in Use-Path (a name or an IP literal)
 * @param ports          per transport: 0 = ephemeral, {@link #DISABLED} (or absent) = off
 * @param sslContext     server side of TLS and WSS; null disables both whatever their ports
 * @param limits         header and chunk limits of every connection
 * @param defaultExpiry  how long a URI from AUTH stays good when the client asks for no Expires (RFC 4976 §5)
 * @param minExpiry      shorter requests are answered 423 with Min-Expires
 * @param maxExpiry      longer requests are answered 423 with Max-Expires
 * @param responseTimeout how long a forwarded SEND waits for the next hop's response before the
 *                       sender gets a 408 failure report (RFC 4975 §7.1: 30 s)
 * @param idleTimeout    a connection with no traffic either way for this long is closed; zero keeps it
 */
public record MsrpRelaySettings(InetAddress bindAddress, String advertisedHost, Map<MsrpTransport, Integer> ports,
                                SslContext sslContext, MsrpLimits limits, Duration defaultExpiry, Duration minExpiry,
                                Duration maxExpiry, Duration responseTimeout, Duration idleTimeout) {
    public static final int DISABLED = -1;

    public MsrpRelaySettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(limits, "limits");
        ports = Map.copyOf(ports.isEmpty() ? new EnumMap<>(MsrpTransport.class) : new EnumMap<>(ports));
        for (int port : ports.values()) {
            if (port < DISABLED || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        if (minExpiry.isNegative() || minExpiry.isZero() || maxExpiry.compareTo(minExpiry) < 0
                || defaultExpiry.compareTo(minExpiry) < 0 || defaultExpiry.compareTo(maxExpiry) > 0) {
            throw new IllegalArgumentException("need 0 < minExpiry <= defaultExpiry <= maxExpiry");
        }
    }

    /** The configured port of a transport, {@link #DISABLED} when it is off or lacks a certificate. */
    public int port(MsrpTransport transport) {
        if (transport.secure() && sslContext == null) {
            return DISABLED;
        }
        return ports.getOrDefault(transport, DISABLED);
    }
}
