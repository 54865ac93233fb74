package org.parley.msrp.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.msrp.MsrpListeners;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;

/**
 * The MSRP relay (RFC 4976) on Netty: TCP, TLS, WS and WSS listeners (RFC 7977 for WebSocket)
 * whose clients AUTH with their account digest and then exchange SEND and REPORT through it.
 * Construct, {@link #start}, {@link #close}; a relay is started once.
 */
public final class MsrpRelay implements AutoCloseable {
    private static final long PURGE_SECONDS = 60;

    private final Clock clock;
    private final Grants grants;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final RelayHandler handler;
    private final MsrpListeners listeners;
    private ScheduledFuture<?> purge;

    /** @param gate the server's one authentication gate: its guard and attempts log see every AUTH */
    public MsrpRelay(MsrpRelaySettings settings, DigestAuthenticator digest, AuthGate gate,
                     Clock clock) {
        this(settings, digest, gate, clock, RelayListener.NONE);
    }

    /** @param listener told of what the relay carries and of grants that end (the server's chat sessions) */
    public MsrpRelay(MsrpRelaySettings settings, DigestAuthenticator digest, AuthGate gate, Clock clock,
                     RelayListener listener) {
        this(settings, digest, gate, clock, listener, LocalEndpoint.NONE);
    }

    /** @param local Parley's own MSRP endpoint, which senders of deferred sessions may reach through the relay */
    public MsrpRelay(MsrpRelaySettings settings, DigestAuthenticator digest, AuthGate gate, Clock clock,
                     RelayListener listener, LocalEndpoint local) {
        Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grants = new Grants(listener);
        RelayAuth auth = new RelayAuth(settings, digest, grants, clock, this::boundPort, gate);
        LoopAffinity affinity = new LoopAffinity();
        this.handler = new RelayHandler(settings, grants, auth, clock, blocking, listener, local, affinity);
        this.listeners = new MsrpListeners("MSRP relay", settings::bindAddress, settings::port, settings.sslContext(),
                settings.limits(), settings.idleTimeout(), (ch, t) -> {
                    ch.attr(RelayHandler.TRANSPORT).set(t);
                    affinity.accepted(ch);
                }, handler, true);
    }

    /** Binds every enabled listener; when one cannot be bound, none stays bound. */
    public synchronized void start() {
        listeners.start();
        purge = listeners.group().next().scheduleAtFixedRate(() -> grants.purge(clock.instant()), PURGE_SECONDS,
                PURGE_SECONDS, TimeUnit.SECONDS);
    }

    /** The port a transport listens on (the real one when configured as 0), or -1 when it does not. */
    public int boundPort(MsrpTransport transport) {
        return listeners.boundPort(transport);
    }

    /** Open client connections, for monitoring. */
    public int connectionCount() {
        return listeners.connectionCount();
    }

    /** URIs handed out and still granted, for monitoring. */
    public int grantCount() {
        return grants.size();
    }

    /** SENDs forwarded and waiting for the next hop's answer: back to zero when the relay has forgotten them. */
    public int pendingCount() {
        return handler.pendingCount();
    }

    /**
     * Bytes the relay holds for next hops that have not taken them yet (written to their
     * connections, or queued for their event loops): back to zero once every receiver has caught up.
     */
    public long bufferedBytes() {
        long bytes = 0;
        for (Channel ch : listeners.connections()) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            bytes += (out == null ? 0 : out.totalPendingWriteBytes()) + RelayHandler.inTransit(ch);
        }
        return bytes;
    }

    /** Connections the relay has stopped reading from (their next hop cannot take more), for monitoring. */
    public int pausedConnections() {
        return (int) listeners.connections().stream().filter(ch -> ch.isActive() && !ch.config().isAutoRead()).count();
    }

    /** The connection {@code granted} was issued over, while it is granted (for the tests: which event loop it is on). */
    Optional<Channel> connectionOf(MsrpUri granted) {
        return grants.of(granted, clock.instant()).map(Grant::connection);
    }

    /** Stops accepting, closes every connection (their grants end with them), then stops the threads. */
    @Override
    public synchronized void close() {
        if (purge != null) {
            purge.cancel(false);
        }
        listeners.close();
        blocking.shutdown();
    }
}
