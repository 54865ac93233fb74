package org.parley.server;

import io.micrometer.core.instrument.Gauge;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.msrp.MsrpLimits;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.relay.MsrpRelay;
import org.parley.msrp.relay.MsrpRelaySettings;
import org.parley.msrp.session.MsrpEndpoint;

/**
 * The MSRP relay (RFC 4976) as a component: its listeners on the configured ports, the server's
 * TLS certificate, and the account digest of every other door (its own nonces, as each door has);
 * and Parley's own MSRP endpoint (deferred delivery) beside it, with the same address, certificate
 * and limits. Started before the SIP stack, which answers sessions with the endpoint's URIs.
 */
final class MsrpComponent implements Component {
    private static final Duration NONCE_PURGE = Duration.ofMinutes(1);

    private final ServerContext context;
    private MsrpRelay relay;
    private MsrpEndpoint endpoint;
    private final ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService housekeeping;

    MsrpComponent(ServerContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "msrp";
    }

    @Override
    public void start() throws Exception {
        ServerSettings settings = context.settings();
        ServerSettings.Msrp m = settings.msrp();
        Map<MsrpTransport, Integer> ports = new EnumMap<>(MsrpTransport.class);
        ports.put(MsrpTransport.TCP, m.tcpPort());
        ports.put(MsrpTransport.TLS, m.tlsPort());
        ports.put(MsrpTransport.WS, m.wsPort());
        ports.put(MsrpTransport.WSS, m.wssPort());
        TlsFiles tls = context.tls();
        MsrpRelaySettings relaySettings = new MsrpRelaySettings(InetAddress.getByName(settings.sip().bindAddress()),
                m.advertisedAddress(), ports,
                SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()).build(),
                new MsrpLimits(m.maxHeaderBytes(), m.maxChunkBytes()), m.defaultExpires(), m.minExpires(),
                m.maxExpires(), Duration.ofSeconds(30), m.idleTimeout());
        NonceService nonces = new NonceService(Duration.ofSeconds(settings.auth().nonceTtlSeconds()));
        DigestAuthenticator digest = new DigestAuthenticator(settings.domain(), settings.auth().algorithms().stream()
                .map(a -> DigestAlgorithm.fromToken(a).orElseThrow()).toList(), nonces, context.accounts()::credentials);
        relay = new MsrpRelay(relaySettings, digest, context.gate(), Clock.systemUTC());
        relay.start();
        endpoint = new MsrpEndpoint(settings.msrpEndpoint(), relaySettings.bindAddress(), m.advertisedAddress(),
                relaySettings.sslContext(), relaySettings.limits(), m.idleTimeout(), sessions);
        endpoint.start();
        Gauge.builder("parley_msrp_endpoint_sessions", endpoint::sessionCount)
                .description("MSRP sessions Parley is the end of (deferred delivery)").register(context.meterRegistry());
        MsrpRelay r = relay;
        Gauge.builder("parley_msrp_relay_connections", r::connectionCount)
                .description("open MSRP relay client connections").register(context.meterRegistry());
        Gauge.builder("parley_msrp_relay_grants", r::grantCount)
                .description("relay URIs handed out by AUTH and still granted (RFC 4976)").register(context.meterRegistry());
        housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("msrp-housekeeping").factory());
        housekeeping.scheduleAtFixedRate(() -> nonces.purge(Clock.systemUTC().instant()), NONCE_PURGE.toSeconds(),
                NONCE_PURGE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Parley's own MSRP end of sessions (deferred delivery), once started. */
    MsrpEndpoint endpoint() {
        return endpoint;
    }

    /** The idle timeout of MSRP connections, which also ends deferred sessions gone quiet. */
    Duration idleTimeout() {
        return context.settings().msrp().idleTimeout();
    }

    /** The bound port of a relay listener (useful when configured as 0), -1 when it is off. */
    int port(MsrpTransport transport) {
        return relay.boundPort(transport);
    }

    @Override
    public void stop() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        sessions.shutdown();
        if (relay != null) {
            relay.close();
        }
    }
}
