package org.parley.msrp.session;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpListeners;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.relay.LocalEndpoint;

/**
 * Parley as the MSRP end of sessions it answers itself (RFC 4975; deferred delivery): its own
 * listeners, with the relay's address, certificate and limits, and the {@link MsrpSessions} they
 * feed. The peer connects (RFC 4975 §5.4: the offerer is active) and names its session by the
 * URI this endpoint minted for it; sessions run on {@code work}, off the I/O threads.
 */
public final class MsrpEndpoint implements AutoCloseable, LocalEndpoint {
    private final MsrpSessions sessions = new MsrpSessions();
    private final MsrpEndpointSettings settings;
    private final String advertisedHost;
    private final MsrpListeners listeners;

    /**
     * @param bindAddresses  where the listener of each transport binds (the relay's, {@link
     *                       org.parley.msrp.relay.MsrpRelaySettings#bindAddress(MsrpTransport)})
     * @param advertisedHost the host of the URIs this endpoint puts in SDP (a name or an IP literal)
     * @param sslContext     server side of TLS and WSS; null turns both off whatever their ports
     */
    public MsrpEndpoint(MsrpEndpointSettings settings, Function<MsrpTransport, InetAddress> bindAddresses,
                        String advertisedHost, SslContext sslContext, MsrpLimits limits, Duration idleTimeout,
                        Executor work) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.advertisedHost = Objects.requireNonNull(advertisedHost, "advertisedHost");
        this.listeners = new MsrpListeners("MSRP endpoint", bindAddresses,
                t -> t.secure() && sslContext == null ? MsrpListeners.DISABLED : settings.port(t), sslContext, limits,
                idleTimeout, (ch, t) -> { }, new MsrpEndpointHandler(sessions, work));
    }

    public void start() {
        listeners.start();
    }

    public MsrpSessions sessions() {
        return sessions;
    }

    public long maxMessageBytes() {
        return settings.maxMessageBytes();
    }

    /** A fresh URI of this endpoint for a new session over {@code transport}; empty when that listener is off. */
    public Optional<MsrpUri> newUri(MsrpTransport transport) {
        int port = listeners.boundPort(transport);
        return port == MsrpListeners.DISABLED ? Optional.empty()
                : Optional.of(MsrpUri.of(transport.secure(), advertisedHost, port, MsrpSession.newId(),
                        transport.uriTransport()));
    }

    /** The port a transport listens on (the real one when configured as 0), or -1 when it does not. */
    public int boundPort(MsrpTransport transport) {
        return listeners.boundPort(transport);
    }

    /** A session whose sender reaches it through Parley's relay (RFC 4976): served like one over its own connection. */
    @Override
    public boolean serves(MsrpUri uri, MsrpUri relayUri) {
        return sessions.serves(uri, relayUri);
    }

    @Override
    public List<MsrpMessage> receive(MsrpRequest request) {
        return sessions.receive(request);
    }

    /** Sessions open, for monitoring. */
    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public void close() {
        listeners.close();
    }
}
