package org.parley.registrar.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The digest algorithms Parley offers (RFC 7616 §3.2; RFC 8760 for SIP). The "-sess" variants are not offered. */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA-256"), MD5("MD5", "MD5");

    private final String token;
    private final String jca;

    DigestAlgorithm(String token, String jca) {
        this.token = token;
        this.jca = jca;
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
        try {
            MessageDigest md = MessageDigest.getInstance(jca);
            return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8))).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jca, e);
        }
    }
}
