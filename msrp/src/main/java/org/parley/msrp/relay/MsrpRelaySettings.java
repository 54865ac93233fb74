package org.parley.msrp.relay;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.parley.config.Config;
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
 * @param plainBindAddress where the plain (TCP, WS) listeners of the relay and of Parley's MSRP
 *                       endpoint bind: the digest exchange and the messages cross them in clear, so
 *                       by default only this machine reaches them (a page at http://localhost)
 */
public record MsrpRelaySettings(InetAddress bindAddress, String advertisedHost, Map<MsrpTransport, Integer> ports,
                                SslContext sslContext, MsrpLimits limits, Duration defaultExpiry, Duration minExpiry,
                                Duration maxExpiry, Duration responseTimeout, Duration idleTimeout,
                                InetAddress plainBindAddress) {
    public static final int DISABLED = -1;
    /** RFC 4975 §7.1: a sender waits 30 s for a transaction response. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    public MsrpRelaySettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(plainBindAddress, "plainBindAddress");
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

    /** Every listener, plain or not, on {@code bindAddress}. */
    public MsrpRelaySettings(InetAddress bindAddress, String advertisedHost, Map<MsrpTransport, Integer> ports,
                             SslContext sslContext, MsrpLimits limits, Duration defaultExpiry, Duration minExpiry,
                             Duration maxExpiry, Duration responseTimeout, Duration idleTimeout) {
        this(bindAddress, advertisedHost, ports, sslContext, limits, defaultExpiry, minExpiry, maxExpiry,
                responseTimeout, idleTimeout, bindAddress);
    }

    /**
     * The {@code msrp.*} keys; an empty port is a listener that is off. No TLS context yet
     * ({@link #withSslContext}: the assembly finds or generates the certificate at start).
     *
     * @param bindAddress    where the SIP listeners bind ({@code sip.bind-address}): the relay binds there too
     * @param sipAdvertised  the SIP advertised address, the host of the relay's URIs unless
     *                       {@code msrp.advertised-address} names another
     * @throws org.parley.config.ConfigException naming the first bad key
     */
    public static MsrpRelaySettings from(Config c, InetAddress bindAddress, String sipAdvertised) {
        Duration min = c.seconds("msrp.auth.min-expires");
        Duration max = c.seconds("msrp.auth.max-expires");
        Duration dflt = c.seconds("msrp.auth.default-expires");
        if (max.compareTo(min) < 0) {
            throw c.invalid("msrp.auth.max-expires", "must not be less than msrp.auth.min-expires");
        }
        if (dflt.compareTo(min) < 0 || dflt.compareTo(max) > 0) {
            throw c.invalid("msrp.auth.default-expires", "must lie between msrp.auth.min-expires and max-expires");
        }
        int header = c.positive("msrp.max-header-bytes");
        if (header < 512) {
            throw c.invalid("msrp.max-header-bytes", "must be at least 512");
        }
        int chunk = c.positive("msrp.max-chunk-bytes");
        if (chunk < 2048) {
            throw c.invalid("msrp.max-chunk-bytes", "must be at least 2048 (RFC 4975 section 5.1)");
        }
        Map<MsrpTransport, Integer> ports = new EnumMap<>(MsrpTransport.class);
        ports.put(MsrpTransport.TCP, optionalPort(c, "msrp.tcp.port"));
        ports.put(MsrpTransport.TLS, optionalPort(c, "msrp.tls.port"));
        ports.put(MsrpTransport.WS, optionalPort(c, "msrp.ws.port"));
        ports.put(MsrpTransport.WSS, optionalPort(c, "msrp.wss.port"));
        InetAddress plainBind;
        try {
            plainBind = InetAddress.getByName(c.required("msrp.plain-bind-address"));
        } catch (UnknownHostException e) {
            throw c.invalid("msrp.plain-bind-address", "cannot be resolved");
        }
        return new MsrpRelaySettings(bindAddress, c.optional("msrp.advertised-address").orElse(sipAdvertised), ports,
                null, new MsrpLimits(header, chunk), dflt, min, max, RESPONSE_TIMEOUT,
                Duration.ofSeconds(c.nonNegative("msrp.idle-timeout-seconds")), plainBind);
    }

    private static int optionalPort(Config c, String key) {
        return c.optional(key).isEmpty() ? DISABLED : c.port(key);
    }

    /** The same relay with TLS and WSS served on {@code context}. */
    public MsrpRelaySettings withSslContext(SslContext context) {
        return new MsrpRelaySettings(bindAddress, advertisedHost, ports, context, limits, defaultExpiry, minExpiry,
                maxExpiry, responseTimeout, idleTimeout, plainBindAddress);
    }

    /** Where a listener of this transport binds: TLS and WSS on the bind address, plain ones on the plain bind address. */
    public InetAddress bindAddress(MsrpTransport transport) {
        return transport.secure() ? bindAddress : plainBindAddress;
    }

    /** The configured port of a transport, {@link #DISABLED} when it is off or lacks a certificate. */
    public int port(MsrpTransport transport) {
        if (transport.secure() && sslContext == null) {
            return DISABLED;
        }
        return ports.getOrDefault(transport, DISABLED);
    }
}
