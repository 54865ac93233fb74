package org.parley.http;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP side listens. Port 0 asks for an ephemeral port (tests). Without {@code tls}
 * no HTTPS listener is opened; the server assembly always supplies one (self-signed if need be).
 */
public record HttpSettings(String bindAddress, int port, int httpsPort, Optional<TlsFiles> tls,
                           long maxBodyBytes) {
    /** Admin API bodies are small JSON documents; anything bigger is refused with 413. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public HttpSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
    }

    /** A PEM certificate chain and its PEM (PKCS#8 or PKCS#1) private key. */
    public record TlsFiles(Path certificate, Path privateKey) {
        public TlsFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }
}
