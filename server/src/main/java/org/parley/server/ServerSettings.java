package org.parley.server;

import org.parley.config.Config;
import org.parley.config.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;
import java.time.Duration;
import org.parley.accounts.AuthAttemptData;
import org.parley.accounts.gate.GateSettings;
import org.parley.messaging.MessagingSettings;
import org.parley.messaging.http.MessagingAccountData;
import org.parley.msrp.session.MsrpEndpointSettings;
import org.parley.presence.PresenceSettings;
import org.parley.registrar.RegistrarSettings;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transport.ConnectionLimits;

/** The typed, validated view of a {@link Config}; one record per area so each module takes only its part. */
public record ServerSettings(String domain, Path dataDir, Sip sip, Web web, Tls tls, Db db,
                             Optional<Secret> adminToken, RegistrarSettings registrar, Auth auth, Messaging messaging,
                             PresenceSettings presence, Msrp msrp, Accounts accounts,
                             MsrpEndpointSettings msrpEndpoint) {

    /**
     * {@code answerDeadline}: when the watchdog answers 500 to a non-INVITE request nothing answered;
     * {@code connections}: caps and deadlines of TCP, TLS, WS and WSS connections, fitted to the fd limit.
     */
    public record Sip(String bindAddress, String advertisedAddress, int udpPort, int tcpPort, int tlsPort,
                      int wsPort, int wssPort, int maxMessageBytes, Duration answerDeadline, ConnectionLimits connections) {
    }

    /**
     * {@code userTokenLifetime}: how long a bearer token from {@code POST /api/v1/tokens} is good for;
     * {@code maxConnections}: per listener, so HTTP stays inside the SIP file descriptor reserve;
     * {@code xcapMaxBodyBytes}: the largest XCAP request body (xcap.max-body-bytes).
     */
    public record Web(String bindAddress, int httpPort, int httpsPort, Duration userTokenLifetime, int maxConnections,
                      long xcapMaxBodyBytes) {
    }

    /** Both empty: generate a self-signed certificate under the data directory. */
    public record Tls(Optional<Path> certificate, Optional<Path> privateKey) {
    }

    /** No URL: the embedded H2 database under the data directory. */
    public record Db(Optional<String> url, String user, Secret password) {
    }

    /** Digest and the one guard of every door ({@link GateSettings}). */
    public record Auth(int nonceTtlSeconds, List<String> algorithms, GateSettings gate) {
    }

    /**
     * The MSRP relay keys; a port of {@link #OFF} is a listener that is off.
     *
     * @param advertisedAddress the host of the URIs the relay hands out
     */
    public record Msrp(String advertisedAddress, int tcpPort, int tlsPort, int wsPort, int wssPort, int maxHeaderBytes,
                       int maxChunkBytes, Duration defaultExpires, Duration minExpires, Duration maxExpires,
                       Duration idleTimeout) {
        public static final int OFF = -1;
    }

    /** The messaging keys, as the messaging module wants them. */
    public record Messaging(MessagingSettings settings) {
    }

    /** What outlives a deleted account: its login attempts and its usage records (as they are or pseudonymised). */
    public record Accounts(AuthAttemptData.Retention authAttempts, MessagingAccountData.UsageRetention usageRecords) {
    }

    private static final Set<String> DIGEST_ALGORITHMS = Set.of("SHA-256", "MD5");

    /** @throws ConfigException naming the first bad key */
    public static ServerSettings from(Config c) {
        return new ServerSettings(
                c.required("parley.domain"),
                c.path("data.dir"),
                sip(c),
                web(c),
                tls(c),
                new Db(c.optional("db.url"), c.string("db.user"), new Secret(c.string("db.password"))),
                c.optional("admin.token").map(Secret::new),
                RegistrarSettings.from(c),
                auth(c),
                new Messaging(MessagingSettings.from(c)),
                PresenceSettings.from(c),
                msrp(c),
                accounts(c),
                MsrpEndpointSettings.from(c));
    }

    private static Msrp msrp(Config c) {
        Duration min = seconds(c, "msrp.auth.min-expires");
        Duration max = seconds(c, "msrp.auth.max-expires");
        Duration dflt = seconds(c, "msrp.auth.default-expires");
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
        String advertised = c.optional("msrp.advertised-address").orElse(sip(c).advertisedAddress());
        return new Msrp(advertised, optionalPort(c, "msrp.tcp.port"), optionalPort(c, "msrp.tls.port"),
                optionalPort(c, "msrp.ws.port"), optionalPort(c, "msrp.wss.port"), header, chunk, dflt, min, max,
                Duration.ofSeconds(c.nonNegative("msrp.idle-timeout-seconds")));
    }

    private static int optionalPort(Config c, String key) {
        return c.optional(key).isEmpty() ? Msrp.OFF : c.port(key);
    }

    private static Accounts accounts(Config c) {
        return new Accounts(choice(c, "accounts.deletion.auth-attempts", AuthAttemptData.Retention.class),
                choice(c, "accounts.deletion.usage-records", MessagingAccountData.UsageRetention.class));
    }

    /** One of an enum's constants, written in lower case in the file. */
    private static <E extends Enum<E>> E choice(Config c, String key, Class<E> type) {
        String value = c.string(key).strip();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw c.invalid(key, "must be one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static Duration seconds(Config c, String key) {
        return Duration.ofSeconds(c.positive(key));
    }

    /** A bearer token cannot be revoked short of deleting its account, so its lifetime is capped at a day. */
    static final int MAX_USER_TOKEN_SECONDS = 86_400;

    private static Web web(Config c) {
        int tokenSeconds = c.positive("http.user-token-seconds");
        if (tokenSeconds > MAX_USER_TOKEN_SECONDS) {
            throw c.invalid("http.user-token-seconds", "must not exceed " + MAX_USER_TOKEN_SECONDS + " (one day)");
        }
        return new Web(c.required("http.bind-address"), c.port("http.port"), c.port("https.port"),
                Duration.ofSeconds(tokenSeconds), httpConnections(c), c.positive("xcap.max-body-bytes"));
    }

    /** Configured, or an eighth of the SIP reserve (at least 32): both listeners together take a quarter of it. */
    private static int httpConnections(Config c) {
        int configured = c.nonNegative("http.max-connections");
        if (configured > 0) {
            return configured;
        }
        int reserve = c.nonNegative("sip.fd-reserve");
        long fdReserve = reserve > 0 ? reserve : ConnectionLimits.defaultReserve(ConnectionLimits.fileDescriptorLimit());
        return (int) Math.max(32, fdReserve / 8);
    }

    private static Sip sip(Config c) {
        String bind = c.required("sip.bind-address");
        String advertised = c.optional("sip.advertised-address").orElseGet(() -> defaultAdvertised(c, bind));
        int maxBytes = c.positive("sip.max-message-bytes");
        Duration answerDeadline = Duration.ofMillis(c.positive("sip.transaction.answer-deadline-ms"));
        Duration timerF = TimerSettings.DEFAULT.transactionTimeout();
        if (answerDeadline.compareTo(timerF) >= 0) {
            throw new ConfigException("sip.transaction.answer-deadline-ms must be below the client's Timer F ("
                    + timerF.toMillis() + " ms): an answer after it reaches nobody");
        }
        return new Sip(bind, advertised, c.port("sip.udp.port"), c.port("sip.tcp.port"), c.port("sip.tls.port"),
                c.port("sip.ws.port"), c.port("sip.wss.port"), maxBytes, answerDeadline, connections(c));
    }

    private static ConnectionLimits connections(Config c) {
        return ConnectionLimits.derived(c.nonNegative("sip.max-connections"), c.positive("sip.max-connections-per-address"),
                c.nonNegative("sip.fd-reserve"), seconds(c, "sip.message-deadline-seconds"),
                seconds(c, "sip.unregistered-idle-seconds"), seconds(c, "sip.idle-seconds"));
    }

    // A wildcard or loopback bind has no address a peer could use; 127.0.0.1 at least works locally.
    private static String defaultAdvertised(Config c, String bind) {
        try {
            InetAddress address = InetAddress.getByName(bind);
            return address.isAnyLocalAddress() || address.isLoopbackAddress() ? "127.0.0.1" : bind;
        } catch (UnknownHostException e) {
            throw c.invalid("sip.bind-address", "cannot be resolved");
        }
    }

    private static Tls tls(Config c) {
        Optional<Path> certificate = c.optionalPath("tls.certificate");
        Optional<Path> key = c.optionalPath("tls.private-key");
        if (certificate.isPresent() != key.isPresent()) {
            throw c.invalid(certificate.isPresent() ? "tls.private-key" : "tls.certificate",
                    "tls.certificate and tls.private-key must be set together (or both left empty)");
        }
        return new Tls(certificate, key);
    }

    private static Auth auth(Config c) {
        List<String> algorithms = c.list("auth.algorithms");
        if (algorithms.isEmpty() || !DIGEST_ALGORITHMS.containsAll(algorithms)) {
            throw c.invalid("auth.algorithms", "must list one or more of SHA-256, MD5");
        }
        return new Auth(c.positive("auth.nonce-ttl-seconds"), algorithms, GateSettings.from(c));
    }
}
