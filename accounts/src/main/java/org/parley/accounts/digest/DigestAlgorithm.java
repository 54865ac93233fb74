package org.parley.accounts.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** The digest algorithms Parley offers (RFC 7616 §3.2; RFC 8760 for SIP). The "-sess" variants are not offered. */
public enum DigestAlgorithm {
    SHA_256("SHA-256"), MD5("MD5");

    /** {@link #values()} once: that copies the array at every call, and every authenticated request asks. */
    private static final DigestAlgorithm[] ALL = values();

    private final String token;
    /**
     * Looked up once: each hash works on a clone (a MessageDigest is not thread-safe), a copy of its
     * state, where {@code MessageDigest.getInstance} searched the providers on every hash — three
     * per authenticated request.
     */
    private final MessageDigest prototype;
    /** What {@link DigestAuthenticator} checks a response with: a digest and its buffers, reused. */
    private final IdlePool<DigestText> texts = new IdlePool<>(16, () -> new DigestText(copy()));

    DigestAlgorithm(String token) {
        this.token = token;
        try {
            this.prototype = MessageDigest.getInstance(token);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks " + token, e);
        }
    }

    public String token() {
        return token;
    }

    public static Optional<DigestAlgorithm> fromToken(String token) {
        for (DigestAlgorithm a : ALL) {
            if (a.token.equalsIgnoreCase(token.strip())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** H(data): the lower-case hex digest of the UTF-8 bytes. */
    public String hash(String data) {
        return HexFormat.of().formatHex(copy().digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    /** A text to hash, for one check; {@link #give} it back. */
    DigestText take() {
        return texts.take();
    }

    void give(DigestText text) {
        text.reset();
        texts.give(text);
    }

    private MessageDigest copy() {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(token + " cannot be cloned", e);
        }
    }
}
