package org.parley.server;

import io.helidon.webserver.http.HttpService;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.parley.accounts.Account;
import org.parley.accounts.AccountAddresses;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AccountMemory;
import org.parley.conference.ConferenceServer;
import org.parley.messaging.MessagingServer;
import org.parley.messaging.chat.ChatSessions;
import org.parley.messaging.chat.JdbiSessionArchive;
import org.parley.messaging.chat.SessionArchive;
import org.parley.messaging.http.SessionMessagesResource;
import org.parley.msrp.relay.RelayListener;
import org.parley.msrp.session.MsrpEndpoint;
import org.parley.messaging.http.MessagingAccountData;
import org.parley.messaging.http.MessagingAdminResource;
import org.parley.messaging.http.MessagingUserResource;
import org.parley.http.ListenerProbe;
import org.parley.http.ParleyHttpServer;
import org.parley.messaging.store.CachingControlsStore;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.JdbiControlsStore;
import org.parley.messaging.store.CountingOfflineStore;
import org.parley.messaging.store.JdbiOfflineStore;
import org.parley.messaging.store.OfflineStore;
import org.parley.messaging.store.GroupCommitUsageLog;
import org.parley.messaging.store.JdbiUsageLog;
import org.parley.presence.PresenceServer;
import org.parley.registrar.Binding;
import org.parley.registrar.BindingMetrics;
import org.parley.registrar.RegistrationListener;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.LocationService;
import org.parley.registrar.RegisterService;
import org.parley.registrar.RegistrationAccountData;
import org.parley.registrar.Registrar;
import org.parley.registrar.RegistrarLocator;
import org.parley.registrar.StoreBackedLocationService;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.registrar.auth.RelayGate;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.sip.proxy.LocalService;
import org.parley.xdm.sip.XcapDiffService;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.accounts.digest.NonceService;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.ProxySettings;
import org.parley.sip.proxy.SipRouter;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.TransactionLayer;
import org.parley.sip.transport.NettySipTransport;
import org.parley.sip.transport.Transport;
import org.parley.sip.transport.TransportSettings;
import org.parley.store.BindingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of the server as one component: transports, transaction layer, proxy core and
 * registrar, wired in the order a request passes them (see ARCHITECTURE.md).
 */
final class SipStack implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(SipStack.class);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(30);
    private static final Duration DRAIN_PATIENCE = Duration.ofSeconds(10);

    private final ServerContext context;
    private final Scheduler scheduler;
    private final ExecutorService services = Executors.newVirtualThreadPerTaskExecutor();
    private final StoreBackedLocationService location;
    private final NonceService nonces;
    private NettySipTransport transport;
    private TransactionLayer transactions;
    private SipRouter router;
    private final XdmComponent xdm;
    private final ConferenceComponent conference;
    private volatile Supplier<MsrpEndpoint> msrpEndpoint = () -> null;
    private volatile MessagingServer messaging;
    private volatile PresenceServer presence;
    private volatile XcapDiffService xcapDiff;
    private volatile ChatSessions chats;
    private final GroupCommitUsageLog usageLog;
    /** One instance for the messaging server and account deletion, so that its counts see every change. */
    private final OfflineStore offline;
    private final ControlsStore controls;
    private final SessionArchive sessionMessages;
    private Cancellable housekeeping;

    SipStack(ServerContext context, Scheduler scheduler, XdmComponent xdm, ConferenceComponent conference) {
        this.xdm = xdm;
        this.conference = conference;
        this.context = context;
        this.scheduler = scheduler;
        this.location = new StoreBackedLocationService(new BindingRepository(context.database()), scheduler,
                context.settings().registrar().writeBehind(), context.settings().registrar().refreshLagPercent());
        this.usageLog = new GroupCommitUsageLog(new JdbiUsageLog(context.database()), context.settings().usageJournal());
        this.offline = new CountingOfflineStore(new JdbiOfflineStore(context.database()));
        CachingControlsStore controls = new CachingControlsStore(new JdbiControlsStore(context.database()),
                context.settings().accountMemory().maxEntries());
        if (context.accounts() instanceof AccountMemory accounts) {
            accounts.whenChanged(controls::forgetAll);
        }
        this.controls = controls;
        this.nonces = context.settings().digest().nonces();
        this.sessionMessages = new JdbiSessionArchive(context.database());
    }

    @Override
    public String name() {
        return "sip";
    }

    @Override
    public List<HttpService> adminServices() {
        return List.of(new RegistrationsResource(location, scheduler),
                new MessagingAdminResource(context.accounts(), controls, usageLog));
    }

    @Override
    public List<HttpService> userServices() {
        return List.of(new MessagingUserResource(controls),
                new SessionMessagesResource(sessionMessages, context.settings().chat().storeAll()));
    }

    @Override
    public void start() throws Exception {
        ServerSettings settings = context.settings();
        TransportSettings sip = settings.sip().withSslContext(serverSsl(context.tls()));
        transport = new NettySipTransport(sip, context.meterRegistry());
        transactions = new TransactionLayer(transport, scheduler, settings.transactions(), services,
                context.meterRegistry());
        String bindAddress = sip.bindAddress().getHostAddress();
        LocalDomains domains = new LocalDomains(settings.domain(), new HashSet<>(List.of("localhost", "127.0.0.1",
                sip.advertisedAddress(), bindAddress)));
        IdentityResolver identities = new IdentityResolver(context.accounts(), domains);
        DigestAuthenticator digest = new DigestAuthenticator(settings.domain(), settings.digest().algorithms(),
                nonces, context.accounts()::credentials);
        SipDigestGate gate = new SipDigestGate(digest, context.gate(), domains);
        RequestAuthenticator authenticator = new RequestAuthenticator(gate, identities, context.accounts(), location,
                domains);
        Forker forker = new Forker(transactions, transport, scheduler);
        RegistrarLocator locator = new RegistrarLocator(identities, location, scheduler);
        messaging = new MessagingServer(settings.messaging(), new MessagingServer.Wiring(domains, identities,
                context.accounts(), gate, location, locator, forker, offline,
                usageLog, controls, xdm.storedLists(), scheduler, services));
        messaging.deferSessionsTo(msrpEndpoint, settings.msrp().idleTimeout());
        Registrar registrar = new Registrar(domains, identities, gate, location, settings.registrar());
        xcapDiff = new XcapDiffService(domains, identities, authenticator, xdm.documents(),
                xdm.userAuids(), "http://" + sip.advertisedAddress() + ":" + settings.http().port() + "/xcap-root",
                forker, scheduler);
        xdm.noticesTo(messaging::notice);
        presence = new PresenceServer(settings.presence(), new PresenceServer.Wiring(domains,
                identities, authenticator, location, xdm.documents(), xdm.listReferences()::resolve, forker, scheduler, services));
        messaging.availabilityFrom(presence::declinesContact);
        RegistrationListener registrations = new RegistrationListener() {
            @Override
            public void registered(String aor, Binding binding) {
                messaging.registered(aor, binding);
            }

            /** Every successful REGISTER, once: presence looks at all the AOR's bindings anyway. */
            @Override
            public void bindingsChanged(String aor) {
                presence.registrationChanged(aor);
            }
        };
        List<LocalService> local = new ArrayList<>();
        local.add(new RegisterService(registrar, scheduler, registrations));
        local.addAll(conference.conference().services(new ConferenceServer.Wiring(domains, identities, authenticator,
                messaging, forker, locator, xdm.groups(), scheduler, () -> msrpEndpoint.get())));
        local.addAll(messaging.services());
        local.add(xcapDiff);
        local.addAll(presence.services());
        chats = new ChatSessions(settings.chat(), settings.domain(), new UserAgent(forker), locator,
                usageLog, sessionMessages, identities, scheduler);
        router = new SipRouter(domains, forker, transport, locator, ProxySettings.defaults(),
                new RelayGate(authenticator, scheduler), local, chats);
        transactions.setUser(router);
        BindingMetrics.bind(context.meterRegistry(), location, scheduler);
        transport.start(transactions);
        messaging.start();
        housekeeping = scheduler.every(HOUSEKEEPING, this::housekeep);
        probeListeners(bindAddress);
        LOG.info("SIP listening: UDP {} TCP {} TLS {} WS {} WSS {}", port(Transport.UDP), port(Transport.TCP),
                port(Transport.TLS), port(Transport.WS), port(Transport.WSS));
    }

    /** One /health check per SIP listener: open, accepting, and (connection-oriented ones) taking a connection now. */
    private void probeListeners(String bindAddress) {
        for (Transport t : Transport.values()) {
            int port = transport.boundPort(t);
            if (port == TransportSettings.DISABLED) {
                continue;
            }
            String name = ParleyHttpServer.LISTENER_CHECK_PREFIX + "sip-" + t.name().toLowerCase(Locale.ROOT);
            context.readiness().probe(name, t.reliable()
                    ? () -> transport.listening(t) && ListenerProbe.tcp(bindAddress, port)
                    : () -> transport.listening(t));
        }
    }

    /**
     * The messaging data of accounts, their registrations, and (once started) the subscriptions they
     * hold or that watch them: ended first, with their NOTIFYs, while the flows are still known.
     */
    @Override
    public void registerAccountData(AccountDataService data) {
        String domain = context.settings().domain();
        data.onDeletion(this::endSessions)
                .register(new RegistrationAccountData(location, domain, scheduler::now, this::bindingsRemoved))
                .register(MessagingAccountData.controls(controls))
                .register(MessagingAccountData.sessionMessages(sessionMessages))
                .register(MessagingAccountData.storedMessages(offline, domain))
                .register(MessagingAccountData.usageRecords(usageLog, domain,
                        context.settings().usageRetention()));
    }

    private void endSessions(Account account) {
        String aor = AccountAddresses.aor(account, context.settings().domain());
        if (messaging != null) {
            messaging.endAccount(aor);
        }
        if (xcapDiff != null) {
            xcapDiff.endAccount(aor);
        }
        if (presence != null) {
            presence.endAccount(aor);
        }
    }

    private void bindingsRemoved(String aor) {
        if (presence != null) {
            presence.registrationChanged(aor);
        }
    }

    /** Parley's MSRP endpoint, for deferred sessions: null until the MSRP component has started. */
    void deferSessionsTo(Supplier<MsrpEndpoint> endpoint) {
        this.msrpEndpoint = endpoint;
    }

    /** What the MSRP relay tells the chat sessions (it starts after this stack). */
    RelayListener relayListener() {
        return chats;
    }

    void expireMessagesNow() {
        messaging.expireNow();
    }

    int port(Transport t) {
        return transport.boundPort(t);
    }

    /** Expired bindings (a store write) and guard records are dropped now and then, unanswered challenges recorded. */
    private void housekeep() {
        try {
            location.expire(scheduler.now());
            context.gate().purge(scheduler.now());
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed: {}", e.toString());
        }
    }

    private static SslContext serverSsl(TlsFiles tls) throws SSLException {
        return SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()).build();
    }

    @Override
    public void stop() {
        if (housekeeping != null) {
            housekeeping.cancel();
        }
        if (messaging != null) {
            messaging.stop();
        }
        try {
            if (router != null && !router.drain(DRAIN_PATIENCE)) {
                LOG.warn("SIP requests still unanswered after {} s; stopping anyway", DRAIN_PATIENCE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (transport != null) {
            transport.close();
        }
        if (transactions != null) {
            transactions.close(); // the direct memory of what Timers J and K keep
        }
        usageLog.close();
        location.close();
        services.shutdown();
        try {
            if (!services.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("SIP services still busy after 5 s; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
