package org.parley.server;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AuthAttemptData;
import org.parley.accounts.GroupCommitAuthAttemptLog;
import org.parley.accounts.AccountMemory;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.accounts.gate.AuthGate;
import org.parley.http.HttpSettings;
import org.parley.http.ParleyHttpServer;
import org.parley.web.CorsFilter;
import org.parley.web.WebClient;
import org.parley.http.Readiness;
import org.parley.msrp.MsrpTransport;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.parley.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The assembled server. Start order: store, accounts, HTTP, then the {@link Component}s; stop runs
 * the other way round so that nothing still accepting work finds the store closed.
 */
public final class ParleyServer {
    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
    static final String DATABASE_CHECK = "database";

    private final ServerContext context;
    private final ParleyHttpServer http;
    private final List<Component> components;
    private final List<Component> started = new ArrayList<>();
    /** Reads the accounts' change marker: changes made by another process (the CLI) reach the memory. */
    private final Cancellable accountChanges;
    private boolean stopped;

    private ParleyServer(ServerContext context, List<Component> components, ParleyHttpServer http,
                         Cancellable accountChanges) {
        this.context = context;
        this.components = components;
        this.http = http;
        this.accountChanges = accountChanges;
    }

    /** Builds and starts everything; on failure, whatever was started is stopped again. */
    public static ParleyServer start(ServerSettings settings) {
        return start(settings, new SystemScheduler());
    }

    /** As {@link #start(ServerSettings)}, with the clock and timers the SIP side runs on (tests pass a manual one). */
    public static ParleyServer start(ServerSettings settings, Scheduler scheduler) {
        Readiness readiness = new Readiness();
        readiness.register(DATABASE_CHECK);
        TlsFiles tls = SelfSignedCertificate.resolve(settings.tls(), settings.dataDir(), settings.domain());
        Secret adminToken = AdminToken.resolve(settings.adminToken(), settings.dataDir());
        Database database = Database.open(settings.db());
        readiness.up(DATABASE_CHECK);
        ParleyServer server;
        GroupCommitAuthAttemptLog attempts = new GroupCommitAuthAttemptLog(new JdbiAuthAttemptLog(database),
                settings.authAttemptJournal());
        try {
            JdbiAccountService stored = new JdbiAccountService(database, settings.domain());
            warnOfOtherRealms(stored, settings.domain());
            AccountMemory accounts = new AccountMemory(stored, settings.accountMemory());
            ServerContext context = new ServerContext(settings, database, accounts, attempts,
                    new AuthGate(settings.gate(), attempts),
                    meterRegistry(), readiness, tls);
            List<Component> components = components(context, scheduler);
            components.forEach(c -> readiness.register(c.name()));
            AccountDataService accountData = accountData(context, components);
            server = new ParleyServer(context, components, http(context, components, adminToken, accountData),
                    scheduler.every(settings.accountMemory().changePoll(), accounts::refresh));
        } catch (RuntimeException e) {
            attempts.close();
            database.close();
            throw e;
        }
        try {
            server.startAll();
        } catch (Exception e) {
            server.stop();
            throw new IllegalStateException("Parley failed to start: " + e.getMessage(), e);
        }
        return server;
    }

    /**
     * Everything that runs on top of the store, in start order. Each becomes a readiness check and
     * may contribute admin resources.
     */
    static List<Component> components(ServerContext context, Scheduler scheduler) {
        XdmComponent xdm = new XdmComponent(context, scheduler);
        ConferenceComponent conference = new ConferenceComponent(context, scheduler, xdm);
        SipStack sip = new SipStack(context, scheduler, xdm, conference);
        MsrpComponent msrp = new MsrpComponent(context, sip::relayListener);
        // the SIP side answers deferred sessions with the endpoint's URIs once the MSRP side has started
        sip.deferSessionsTo(msrp::endpoint);
        return List.of(xdm, conference, sip, msrp);
    }

    /**
     * Everything the components keep about accounts, for the users' export and account deletion; the
     * login attempts last, so that attempts made while the rest is erased go too.
     */
    static AccountDataService accountData(ServerContext context, List<Component> components) {
        String domain = context.settings().domain();
        AccountDataService data = new AccountDataService(context.accounts(), domain);
        components.forEach(c -> c.registerAccountData(data));
        return data.register(new AuthAttemptData(context.authAttempts(), domain,
                context.settings().authAttemptRetention()));
    }

    /**
     * HA1 binds the realm, so accounts hashed for another domain cannot log in; the password is not
     * kept, so only a new one helps. Said loudly at start rather than found out from failed logins.
     */
    private static void warnOfOtherRealms(JdbiAccountService accounts, String domain) {
        JdbiAccountService.RealmMismatch mismatch = accounts.outsideRealm(5);
        if (mismatch.count() > 0) {
            LOG.warn("{} account(s) have passwords hashed for another domain than '{}' and cannot log in (e.g. {}): "
                    + "the domain changed since they were set, or 'parley user' ran with another domain. Start with "
                    + "the old --domain, or set each a new password: ./parley user passwd NAME --password PW "
                    + "--domain {}", mismatch.count(), domain, String.join(", ", mismatch.examples()), domain);
        }
    }

    private static ParleyHttpServer http(ServerContext context, List<Component> components, Secret adminToken,
                                         AccountDataService accountData) {
        ServerSettings settings = context.settings();
        ParleyHttpServer.Builder builder = ParleyHttpServer.builder()
                .settings(settings.http().withTls(new HttpSettings.TlsFiles(context.tls().certificate(),
                        context.tls().privateKey())))
                .xcapMaxBodyBytes(settings.xcap().maxBodyBytes())
                .readiness(context.readiness())
                .meterRegistry(context.meterRegistry())
                .accounts(context.accounts())
                .accountData(accountData)
                .authAttempts(context.authAttempts())
                .gate(context.gate())
                .adminToken(adminToken.reveal());
        components.forEach(c -> c.adminServices().forEach(builder::adminService));
        builder.userRealm(settings.domain());
        components.forEach(c -> c.userServices().forEach(builder::userService));
        components.forEach(c -> c.xcapService().ifPresent(builder::xcapService));
        webClient(context.settings(), components, builder);
        return builder.build();
    }

    /** Parley Web at / (it learns the bound SIP and MSRP WebSocket ports per request: they open after HTTP), CORS if configured. */
    private static void webClient(ServerSettings settings, List<Component> components, ParleyHttpServer.Builder builder) {
        SipStack sip = components.stream().filter(SipStack.class::isInstance).map(SipStack.class::cast).findFirst().orElseThrow();
        MsrpComponent msrp = components.stream().filter(MsrpComponent.class::isInstance).map(MsrpComponent.class::cast)
                .findFirst().orElseThrow();
        if (settings.webClient().enabled()) {
            builder.site(new WebClient(() -> new WebClient.Sip(settings.domain(), sip.port(Transport.WS), sip.port(Transport.WSS),
                    msrp.port(MsrpTransport.WS), msrp.port(MsrpTransport.WSS),
                    settings.msrp().bindAddress(MsrpTransport.WS).isLoopbackAddress())));
        }
        if (!settings.webClient().corsOrigins().isEmpty()) {
            builder.filter(new CorsFilter(settings.webClient().corsOrigins()));
        }
    }

    private static PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    private void startAll() throws Exception {
        http.start();
        for (Component component : components) {
            component.start();
            started.add(component);
            context.readiness().up(component.name());
        }
        LOG.info("Parley is up for domain {} ({} CPUs, virtual-thread carriers: {}, pollers: {})",
                context.settings().domain(), Runtime.getRuntime().availableProcessors(),
                System.getProperty(Carriers.PROPERTY, "one per CPU"),
                Carriers.pollers(System.getProperty(Carriers.POLLER_MODE)));
    }

    /** Stops accepting work, then closes the store. Safe to call more than once (shutdown hook and tests). */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("Parley is stopping");
        for (int i = started.size() - 1; i >= 0; i--) {
            Component component = started.get(i);
            context.readiness().down(component.name());
            component.stop();
        }
        http.stop();
        accountChanges.cancel();
        if (context.authAttempts() instanceof GroupCommitAuthAttemptLog attempts) {
            attempts.close(); // a clean stop writes every attempt still queued
        }
        context.readiness().down(DATABASE_CHECK);
        context.database().close();
        LOG.info("Parley stopped");
    }

    public ServerContext context() {
        return context;
    }

    public int httpPort() {
        return http.port();
    }

    public int httpsPort() {
        return http.httpsPort();
    }

    /** Runs the messaging server's expiry pass now instead of at its next sweep (tests on a manual clock). */
    public void expireMessagesNow() {
        sipStack().expireMessagesNow();
    }

    private SipStack sipStack() {
        return components.stream().filter(SipStack.class::isInstance).map(SipStack.class::cast).findFirst().orElseThrow();
    }

    /** The bound port of an MSRP relay listener (useful when configured as 0), -1 when it is off. */
    public int msrpPort(MsrpTransport transport) {
        return components.stream().filter(MsrpComponent.class::isInstance).map(MsrpComponent.class::cast)
                .findFirst().orElseThrow().port(transport);
    }

    /** The bound port of a listener of Parley's own MSRP endpoint (deferred delivery), -1 when it is off. */
    public int msrpEndpointPort(MsrpTransport transport) {
        return components.stream().filter(MsrpComponent.class::isInstance).map(MsrpComponent.class::cast)
                .findFirst().orElseThrow().endpoint().boundPort(transport);
    }

    /** The bound port of a SIP transport (useful when configured as 0). */
    public int sipPort(Transport transport) {
        return sipStack().port(transport);
    }
}
