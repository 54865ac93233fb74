package org.parley.http;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.common.uri.UriPath;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP side of Parley on one Helidon WebServer: a plain listener and, given TLS files, an HTTPS
 * listener, both serving {@code /health}, {@code /metrics} and the admin API under {@code /admin/v1}.
 * Other modules contribute admin resources with {@link Builder#adminService}; they are mounted under
 * {@code /admin/v1} behind the same bearer-token check. Resources for subscribers themselves come
 * with {@link Builder#userService} and are mounted under {@code /api/v1} behind the user's own
 * credentials; handlers learn who it is from {@link UserContext}. With a {@link Builder#userRealm} the
 * user API always offers {@code POST /api/v1/tokens}, which trades those credentials for a bearer
 * token (RFC 6750) that {@code /api/v1} and {@code /xcap-root} also take; tokens are signed with a
 * key drawn at start-up and kept in memory only, so they do not survive a restart.
 */
public final class ParleyHttpServer {
    public static final String READINESS_CHECK = "http";
    private static final Logger LOG = LoggerFactory.getLogger(ParleyHttpServer.class);
    private static final String HTTPS_SOCKET = "https";
    /** Readiness probes of listeners are named "listener:http", "listener:sip-tcp"... */
    public static final String LISTENER_CHECK_PREFIX = "listener:";

    private final WebServer server;
    private final Readiness readiness;
    private final boolean tls;
    private final String bindAddress;
    private final int configuredPort;
    private final int configuredHttpsPort;

    private ParleyHttpServer(Builder b) {
        this.readiness = b.readiness;
        this.tls = b.settings.tls().isPresent();
        this.bindAddress = b.settings.bindAddress();
        this.configuredPort = b.settings.port();
        this.configuredHttpsPort = b.settings.httpsPort();
        GuardedApi admin = new GuardedApi(new AdminTokenFilter(b.adminToken, b.gate(), b.clock), adminResources(b));
        // One key per start for both doors: a token from /api/v1/tokens is good at /xcap-root too.
        Optional<UserTokens> tokens = Optional.ofNullable(b.userRealm)
                .map(realm -> UserTokens.withRandomKey(realm, b.settings.userTokenLifetime(), b.clock));
        Optional<GuardedApi> user = tokens.map(t -> userApi(b, t));
        Optional<GuardedApi> xcap = tokens.flatMap(t -> xcapApi(b, t));
        BodyLimits bodyLimits = new BodyLimits(b.settings.maxBodyBytes(), b.xcapMaxBodyBytes);
        HealthService health = new HealthService(b.readiness);
        MetricsService metrics = new MetricsService(b.meterRegistry);
        ConnectionClose connectionClose = new ConnectionClose();
        WebServerConfig.Builder config = WebServer.builder()
                .host(b.settings.bindAddress())
                .port(b.settings.port())
                .maxPayloadSize(listenerCap(b))
                .addProtocol(http1(connectionClose))
                .maxTcpConnections(b.settings.maxTcpConnections())
                // The assembly owns shutdown ordering (stop accepting, then close the store).
                .shutdownHook(false)
                .routing(r -> routing(r, connectionClose, bodyLimits, health, metrics, admin, user, xcap));
        b.settings.tls().ifPresent(files -> config.putSocket(HTTPS_SOCKET, socket -> socket
                .host(b.settings.bindAddress())
                .port(b.settings.httpsPort())
                .maxPayloadSize(listenerCap(b))
                .addProtocol(http1(connectionClose))
                .maxTcpConnections(b.settings.maxTcpConnections())
                .tls(tls(files))
                .routing(r -> routing(r, connectionClose, bodyLimits, health, metrics, admin, user, xcap))));
        this.server = config.build();
        readiness.register(READINESS_CHECK);
    }

    /**
     * HTTP/1.1 as XCAP clients speak it: widely used XCAP libraries send a node selector's
     * {@code [}, {@code ]} and {@code "} unencoded (RFC 4825 §6 wants them percent-encoded), which
     * Helidon's path check would refuse with a bare 400 before any route. The paths are checked
     * where they are used instead: XCAP parses its own URIs, and no other route matches them.
     * {@code connectionClose} learns each request's connection, to end it when asked.
     */
    private static Http1Config http1(ConnectionClose connectionClose) {
        return Http1Config.builder().validatePath(false).addReceiveListener(connectionClose).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds both listeners or fails naming the one that could not be bound (Helidon logs a bind
     * failure and carries on with port -1). From then on each listener is probed for /health.
     */
    public ParleyHttpServer start() {
        server.start();
        if (!server.isRunning() || port() <= 0 || tls && httpsPort() <= 0) {
            String failed = !server.isRunning() || port() <= 0 ? "HTTP port " + configuredPort : "HTTPS port " + configuredHttpsPort;
            if (server.isRunning()) {
                server.stop();
            }
            throw new IllegalStateException("cannot bind " + failed + " on " + bindAddress
                    + " (in use, or not allowed)");
        }
        readiness.probe(LISTENER_CHECK_PREFIX + "http", () -> server.isRunning() && ListenerProbe.tcp(bindAddress, port()));
        if (tls) {
            readiness.probe(LISTENER_CHECK_PREFIX + "https",
                    () -> server.isRunning() && ListenerProbe.tcp(bindAddress, httpsPort()));
        }
        readiness.up(READINESS_CHECK);
        LOG.info("HTTP listening on port {}{}", port(), tls ? ", HTTPS on port " + httpsPort() : "");
        return this;
    }

    public void stop() {
        readiness.down(READINESS_CHECK);
        if (server.isRunning()) {
            server.stop();
        }
    }

    /** The plain HTTP port actually bound (useful when configured as 0). */
    public int port() {
        return server.port();
    }

    /** The HTTPS port actually bound, or -1 without TLS. */
    public int httpsPort() {
        return tls ? server.port(HTTPS_SOCKET) : -1;
    }

    private static List<HttpService> adminResources(Builder b) {
        List<HttpService> resources = new ArrayList<>();
        resources.add(new UsersResource(b.accountData));
        resources.add(new AuthAttemptsResource(b.authAttempts));
        resources.add(new OpenApiResource());
        resources.addAll(b.adminServices);
        return resources;
    }

    /**
     * The user API: the token endpoint and the contributed user resources. Mounted only with a user
     * realm; without one there is no account to authenticate against, so {@code /api/v1} stays unmounted.
     */
    private static GuardedApi userApi(Builder b, UserTokens tokens) {
        List<HttpService> resources = new ArrayList<>();
        resources.add(new TokensResource(tokens, b.accounts));
        resources.add(new MeResource(b.accountData, b.gate(), b.clock));
        resources.addAll(b.userServices);
        return new GuardedApi(new UserAuthFilter(b.accounts, b.userRealm, b.gate(), b.clock, tokens), resources);
    }

    /**
     * XCAP clients (RFC 4825) hold either a subscriber's credentials or, for provisioning, the admin
     * token; the mounted service decides what each may reach, from {@link UserContext}.
     */
    private static Optional<GuardedApi> xcapApi(Builder b, UserTokens tokens) {
        return b.xcapService.map(service -> new GuardedApi(new EitherAuthFilter(
                new AdminTokenFilter(b.adminToken, b.gate(), b.clock),
                new UserAuthFilter(b.accounts, b.userRealm, b.gate(), b.clock, tokens)), List.of(service)));
    }

    /**
     * The listener takes the larger body, and a byte more, so that a declared length over a
     * door's limit reaches {@link BodyLimits}, which answers with a problem document; only a
     * chunked body past it meets the listener's own 413.
     */
    private static long listenerCap(Builder b) {
        return Math.max(b.settings.maxBodyBytes(), b.xcapMaxBodyBytes) + 1;
    }

    private static void routing(HttpRouting.Builder routing, ConnectionClose connectionClose, BodyLimits bodyLimits,
                                HealthService health, MetricsService metrics, GuardedApi admin,
                                Optional<GuardedApi> user, Optional<GuardedApi> xcap) {
        routing.addFilter(connectionClose);
        routing.addFilter(bodyLimits);
        routing.addFilter(ParleyHttpServer::encodeXcapSelector);
        routing.register(health, metrics).register(GuardedApi.ADMIN_PATH, admin);
        user.ifPresent(api -> routing.register(GuardedApi.USER_PATH, api));
        xcap.ifPresent(api -> routing.register(GuardedApi.XCAP_PATH, api));
        ErrorHandlers.register(routing);
    }

    /**
     * Percent-encodes the {@code [}, {@code ]} and {@code "} that XCAP clients leave raw in a node
     * selector (see {@link #http1()}), before routing decodes the path, which would fail on them.
     */
    private static void encodeXcapSelector(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        HttpPrologue prologue = req.prologue();
        String raw = prologue.uriPath().rawPath();
        if (raw.startsWith(GuardedApi.XCAP_PATH) && raw.chars().anyMatch(c -> c == '[' || c == ']' || c == '"')) {
            String encoded = raw.replace("[", "%5B").replace("]", "%5D").replace("\"", "%22");
            req.prologue(HttpPrologue.create(prologue.rawProtocol(), prologue.protocol(), prologue.protocolVersion(),
                    prologue.method(), UriPath.create(encoded), prologue.query(), prologue.fragment()));
        }
        chain.proceed();
    }

    private static Tls tls(HttpSettings.TlsFiles files) {
        Keys keys = Keys.builder()
                .pem(pem -> pem.key(Resource.create(files.privateKey())).certChain(Resource.create(files.certificate())))
                .build();
        return Tls.builder().privateKey(keys).privateKeyCertChain(keys).build();
    }

    public static final class Builder {
        private HttpSettings settings;
        private Readiness readiness;
        private PrometheusMeterRegistry meterRegistry;
        private AccountService accounts;
        private AccountDataService accountData;
        private AuthAttemptLog authAttempts;
        private AuthGate gate;
        private String adminToken;
        private Clock clock = Clock.systemUTC();
        private final List<HttpService> adminServices = new ArrayList<>();
        private String userRealm;
        private final List<HttpService> userServices = new ArrayList<>();
        private Optional<HttpService> xcapService = Optional.empty();
        private long xcapMaxBodyBytes = BodyLimits.DEFAULT_XCAP_MAX_BODY_BYTES;

        private Builder() {
        }

        public Builder settings(HttpSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The largest XCAP request body (documents are bigger than admin JSON: a buddy list of thousands). */
        public Builder xcapMaxBodyBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("xcapMaxBodyBytes must be positive");
            }
            this.xcapMaxBodyBytes = bytes;
            return this;
        }

        public Builder readiness(Readiness readiness) {
            this.readiness = readiness;
            return this;
        }

        public Builder meterRegistry(PrometheusMeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        public Builder accounts(AccountService accounts) {
            this.accounts = accounts;
            return this;
        }

        /**
         * What the modules keep about accounts: account deletion erases it, {@code GET /api/v1/me/export}
         * shows it. Default: the account itself only.
         */
        public Builder accountData(AccountDataService accountData) {
            this.accountData = accountData;
            return this;
        }

        public Builder authAttempts(AuthAttemptLog authAttempts) {
            this.authAttempts = authAttempts;
            return this;
        }

        /**
         * The authentication gate the user API and XCAP share with the SIP side (one guard, one attempt
         * log); without one, a gate of their own on the documented defaults over {@link #authAttempts}.
         */
        public Builder gate(AuthGate gate) {
            this.gate = gate;
            return this;
        }

        private AuthGate gate() {
            if (gate == null) {
                gate = new AuthGate(GateSettings.defaults(), authAttempts);
            }
            return gate;
        }

        public Builder adminToken(String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Adds an admin resource; its routes are relative to {@code /admin/v1} (a service routing
         * {@code get("/registrations", ...)} answers {@code GET /admin/v1/registrations}).
         */
        public Builder adminService(HttpService service) {
            adminServices.add(Objects.requireNonNull(service));
            return this;
        }

        /**
         * The realm of the user API's Digest and Basic challenges and of the HA1 they check passwords against:
         * the SIP domain, so that the digest hashes stored for SIP serve this door too; also the {@code aud}
         * of the bearer tokens. Setting it mounts the user API ({@code /api/v1}, with {@code POST /tokens}).
         */
        public Builder userRealm(String domain) {
            this.userRealm = domain;
            return this;
        }

        /**
         * Adds a resource for subscribers; its routes are relative to {@code /api/v1} and run only
         * for an authenticated user, whose name {@link UserContext#username} returns.
         */
        public Builder userService(HttpService service) {
            userServices.add(Objects.requireNonNull(service));
            return this;
        }

        /**
         * Mounts the XCAP server (RFC 4825) at {@code /xcap-root}; its routes are relative to it. A
         * request passes with the admin token ({@link UserContext#isAdmin}) or a subscriber's HTTP
         * Digest or Basic credentials or bearer token ({@link UserContext#user}); the service itself limits a subscriber to
         * their own documents.
         */
        public Builder xcapService(HttpService service) {
            this.xcapService = Optional.of(service);
            return this;
        }

        public ParleyHttpServer build() {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(readiness, "readiness");
            Objects.requireNonNull(meterRegistry, "meterRegistry");
            Objects.requireNonNull(accounts, "accounts");
            Objects.requireNonNull(authAttempts, "authAttempts");
            Objects.requireNonNull(adminToken, "adminToken");
            if (accountData == null) {
                // the domain only spells the addresses in an export, which needs the user API and so a realm
                accountData = new AccountDataService(accounts, Objects.requireNonNullElse(userRealm, "localhost"));
            } else if (accountData.accounts() != accounts) {
                throw new IllegalStateException("accountData must be built on the same AccountService as accounts");
            }
            if (!userServices.isEmpty() || xcapService.isPresent()) {
                Objects.requireNonNull(userRealm, "userRealm (needed by userService and xcapService)");
            }
            return new ParleyHttpServer(this);
        }
    }
}
