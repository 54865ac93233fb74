package org.parley.sip.transaction;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.parley.sip.message.Via;

/**
 * Branches and tags: unguessable, since a guessed branch lets anyone inject responses, and tags must
 * be cryptographically random (RFC 3261 §19.3). Drawn from several independent DRBG generators, picked
 * by thread: one shared SecureRandom (the platform's NativePRNG, one lock for the whole JVM) was a
 * monitor every request's threads queued on (issue 13 §4, the REGISTER profile). The server's own
 * requests take their tags and Call-IDs here too: {@code UUID.randomUUID()} draws from that one
 * shared generator, a copy per room member in a fan-out.
 */
public final class Ids {
    private static final SecureRandom[] RANDOMS = generators(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    private Ids() {
    }

    static String branch() {
        return Via.MAGIC_COOKIE + random(12);
    }

    public static String tag() {
        return random(8);
    }

    /** A Call-ID (RFC 3261 §8.1.1.4: globally unique over space and time), 128 random bits. */
    public static String callId() {
        return random(16);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOMS[(int) (Thread.currentThread().threadId() % RANDOMS.length)].nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Each seeded on its own from the platform's entropy, so none can be inferred from another. */
    private static SecureRandom[] generators(int count) {
        SecureRandom[] generators = new SecureRandom[count];
        try {
            for (int i = 0; i < count; i++) {
                generators[i] = SecureRandom.getInstance("DRBG");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no DRBG SecureRandom in this JDK", e);
        }
        return generators;
    }
}
