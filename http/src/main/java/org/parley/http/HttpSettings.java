package org.parley.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.parley.config.Config;

/**
 * Where the HTTP side listens. Port 0 asks for an ephemeral port (tests). Without {@code tls}
 * no HTTPS listener is opened; the server assembly always supplies one (self-signed if need be).
 *
 * @param maxConnections    connections each listener holds at once; beyond, Helidon waits before
 *                          accepting more. Bounds the file descriptors HTTP can take, so that it
 *                          never runs the process out of them. 0: no bound.
 * @param userTokenLifetime how long a bearer token from {@code POST /api/v1/tokens} is good for
 *                          ({@code expires_in}); whole seconds, at least one
 */
public record HttpSettings(String bindAddress, int port, int httpsPort, Optional<TlsFiles> tls,
                           long maxBodyBytes, int maxConnections, Duration userTokenLifetime) {
    /** Admin API bodies are small JSON documents; anything bigger is refused with 413. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    public static final Duration DEFAULT_USER_TOKEN_LIFETIME = Duration.ofHours(1);
    /** A bearer token cannot be revoked short of a password change or deleting its account, so its lifetime is capped at a day. */
    static final int MAX_USER_TOKEN_SECONDS = 86_400;

    public HttpSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(userTokenLifetime, "userTokenLifetime");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative");
        }
        if (userTokenLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("The user token lifetime must be at least one second");
        }
    }

    /** Without a bound on connections, with one-hour user tokens (tests, embedded uses). */
    public HttpSettings(String bindAddress, int port, int httpsPort, Optional<TlsFiles> tls, long maxBodyBytes) {
        this(bindAddress, port, httpsPort, tls, maxBodyBytes, 0, DEFAULT_USER_TOKEN_LIFETIME);
    }

    /**
     * The {@code http.*} and {@code https.port} keys; no TLS files yet ({@link #withTls}: the
     * assembly finds or generates them at start).
     *
     * @param sipFdReserve the file descriptors SIP leaves free ({@code sip.fd-reserve} as resolved
     *                     by sip-transport): without {@code http.max-connections}, each listener
     *                     takes an eighth of them (at least 32), both together a quarter
     * @throws org.parley.config.ConfigException naming the first bad key
     */
    public static HttpSettings from(Config c, int sipFdReserve) {
        int tokenSeconds = c.positive("http.user-token-seconds");
        if (tokenSeconds > MAX_USER_TOKEN_SECONDS) {
            throw c.invalid("http.user-token-seconds", "must not exceed " + MAX_USER_TOKEN_SECONDS + " (one day)");
        }
        int configured = c.nonNegative("http.max-connections");
        int connections = configured > 0 ? configured : Math.max(32, sipFdReserve / 8);
        return new HttpSettings(c.required("http.bind-address"), c.port("http.port"), c.port("https.port"),
                Optional.empty(), DEFAULT_MAX_BODY_BYTES, connections, Duration.ofSeconds(tokenSeconds));
    }

    public HttpSettings withTls(TlsFiles files) {
        return new HttpSettings(bindAddress, port, httpsPort, Optional.of(files), maxBodyBytes, maxConnections,
                userTokenLifetime);
    }

    public HttpSettings withUserTokenLifetime(Duration lifetime) {
        return new HttpSettings(bindAddress, port, httpsPort, tls, maxBodyBytes, maxConnections, lifetime);
    }

    /** Helidon's form: -1 for no bound. */
    int maxTcpConnections() {
        return maxConnections == 0 ? -1 : maxConnections;
    }

    /** A PEM certificate chain and its PEM (PKCS#8 or PKCS#1) private key. */
    public record TlsFiles(Path certificate, Path privateKey) {
        public TlsFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }
}
