package org.parley.server;

import io.micrometer.core.instrument.Gauge;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.relay.MsrpRelay;
import org.parley.msrp.relay.MsrpRelaySettings;
import org.parley.msrp.session.MsrpEndpoint;
import org.parley.msrp.relay.RelayListener;

/**
 * The MSRP relay (RFC 4976) as a component: its listeners on the configured ports, the server's
 * TLS certificate, and the account digest of every other door (its own nonces, as each door has).
 * Parley's own MSRP endpoint (deferred delivery) starts beside the relay, with its address,
 * certificate and limits, and is the relay's one next hop that is not a user's connection.
 */
final class MsrpComponent implements Component {
    private final ServerContext context;
    private final Supplier<RelayListener> listener;
    private MsrpRelay relay;
    private volatile MsrpEndpoint endpoint;
    private final ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor();

    /** @param listener the chat sessions, told what the relay carries (known once the SIP side started) */
    MsrpComponent(ServerContext context, Supplier<RelayListener> listener) {
        this.context = context;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "msrp";
    }

    @Override
    public void start() throws Exception {
        ServerSettings settings = context.settings();
        TlsFiles tls = context.tls();
        MsrpRelaySettings relaySettings = settings.msrp().withSslContext(
                SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()).build());
        NonceService nonces = settings.digest().nonces();
        DigestAuthenticator digest = new DigestAuthenticator(settings.domain(), settings.digest().algorithms(), nonces,
                context.accounts()::credentials);
        endpoint = new MsrpEndpoint(settings.msrpEndpoint(), relaySettings::bindAddress,
                relaySettings.advertisedHost(), relaySettings.sslContext(), relaySettings.limits(),
                relaySettings.idleTimeout(), sessions);
        endpoint.start();
        // senders behind NAT or in a browser reach the endpoint through the relay (RFC 4976)
        relay = new MsrpRelay(relaySettings, digest, context.gate(), Clock.systemUTC(), listener.get(), endpoint);
        relay.start();
        Gauge.builder("parley_msrp_endpoint_sessions", endpoint::sessionCount)
                .description("MSRP sessions Parley is the end of (deferred delivery)").register(context.meterRegistry());
        MsrpRelay r = relay;
        Gauge.builder("parley_msrp_relay_connections", r::connectionCount)
                .description("open MSRP relay client connections").register(context.meterRegistry());
        Gauge.builder("parley_msrp_relay_grants", r::grantCount)
                .description("relay URIs handed out by AUTH and still granted (RFC 4976)").register(context.meterRegistry());
    }

    /** Parley's own MSRP end of sessions (deferred delivery); null until started. */
    MsrpEndpoint endpoint() {
        return endpoint;
    }

    /** The bound port of a relay listener (useful when configured as 0), -1 when it is off. */
    int port(MsrpTransport transport) {
        return relay.boundPort(transport);
    }

    @Override
    public void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        sessions.shutdown();
        if (relay != null) {
            relay.close();
        }
    }
}
