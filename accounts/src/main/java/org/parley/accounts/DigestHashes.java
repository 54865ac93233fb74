package org.parley.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The H() and HA1 functions of HTTP/SIP digest authentication (RFC 7616 §3.4.2, RFC 3261 §22.4),
 * shared by account storage and the registrar's challenge code. Algorithm names are RFC 7616's,
 * case-insensitive; a "-sess" variant uses the same hash function as its base algorithm.
 */
public final class DigestHashes {
    public static final String MD5 = "MD5";
    public static final String SHA_256 = "SHA-256";

    private DigestHashes() {
    }

    /** H(data): the digest of the UTF-8 bytes of {@code data} as lower-case hex. */
    public static String hex(String algorithm, String data) {
        return HexFormat.of().formatHex(digest(algorithm).digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    /** HA1 = H(username ":" realm ":" password). */
    public static String ha1(String algorithm, String username, String realm, String password) {
        return hex(algorithm, username + ":" + realm + ":" + password);
    }

    /** @return whether {@link #hex} accepts the algorithm name (e.g. from a client's Authorization header) */
    public static boolean isSupported(String algorithm) {
        return javaName(algorithm) != null;
    }

    private static MessageDigest digest(String algorithm) {
        String name = javaName(algorithm);
        if (name == null) {
            throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        }
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks " + name, e);
        }
    }

    private static String javaName(String algorithm) {
        String base = algorithm.toUpperCase(Locale.ROOT);
        if (base.endsWith("-SESS")) {
            base = base.substring(0, base.length() - "-SESS".length());
        }
        return switch (base) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            case "SHA-512-256" -> "SHA-512/256";
            default -> null;
        };
    }
}
