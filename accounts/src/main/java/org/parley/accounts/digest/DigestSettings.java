package org.parley.accounts.digest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.config.Config;

/**
 * The digest every door challenges with (RFC 7616; RFC 8760 for SIP): the SIP registrar and
 * services, the MSRP relay's AUTH. Each door keeps its own {@link NonceService} on these terms.
 *
 * @param algorithms offered in this order, one challenge each (which clients each order shuts
 *                   out is in config/parley.properties)
 * @param nonceTtl   how long a nonce stays good
 */
public record DigestSettings(List<DigestAlgorithm> algorithms, Duration nonceTtl) {
    public DigestSettings {
        algorithms = List.copyOf(algorithms);
        Objects.requireNonNull(nonceTtl, "nonceTtl");
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one digest algorithm must be offered");
        }
    }

    /** {@code auth.algorithms} and {@code auth.nonce-ttl-seconds}; @throws org.parley.config.ConfigException naming the first bad key */
    public static DigestSettings from(Config c) {
        List<String> names = c.list("auth.algorithms");
        List<DigestAlgorithm> algorithms = names.stream()
                .map(name -> DigestAlgorithm.fromToken(name).filter(a -> a.token().equals(name)))
                .flatMap(Optional::stream).toList();
        if (names.isEmpty() || algorithms.size() != names.size()) {
            throw c.invalid("auth.algorithms", "must list one or more of SHA-256, MD5");
        }
        return new DigestSettings(algorithms, c.seconds("auth.nonce-ttl-seconds"));
    }

    /** A fresh nonce service on these terms, for one door. */
    public NonceService nonces() {
        return new NonceService(nonceTtl);
    }
}
