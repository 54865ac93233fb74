package org.parley.accounts.digest;

import java.util.Optional;
import org.parley.accounts.DigestHashes;

/** The digest algorithms Parley offers (RFC 7616 §3.2; RFC 8760 for SIP). The "-sess" variants are not offered. */
public enum DigestAlgorithm {
    SHA_256("SHA-256"), MD5("MD5");

    private final String token;

    DigestAlgorithm(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<DigestAlgorithm> fromToken(String token) {
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(token.strip())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** H(data): the lower-case hex digest of the UTF-8 bytes. */
    public String hash(String data) {
        return DigestHashes.hex(token, data);
    }
}
