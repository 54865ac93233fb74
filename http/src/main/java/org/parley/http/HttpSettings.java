package org.parley.http;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP side listens. Port 0 asks for an ephemeral port (tests). Without {@code tls}
 * no HTTPS listener is opened; the server assembly always supplies one (self-signed if need be).
 *
 * @param maxConnections connections each listener holds at once; beyond, Helidon waits before
 *                       accepting more. Bounds the file descriptors HTTP can take, so that it
 *                       never runs the process out of them. 0: no bound.
 */
public record HttpSettings(String bindAddress, int port, int httpsPort, Optional<TlsFiles> tls,
                           long maxBodyBytes, int maxConnections) {
    /** Admin API bodies are small JSON documents; anything bigger is refused with 413. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public HttpSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative");
        }
    }

    /** Without a bound on connections (tests, embedded uses). */
    public HttpSettings(String bindAddress, int port, int httpsPort, Optional<TlsFiles> tls, long maxBodyBytes) {
        this(bindAddress, port, httpsPort, tls, maxBodyBytes, 0);
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
