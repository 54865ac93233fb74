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
    private static final Pool[] POOLS = pools(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    private static final HexFormat HEX = HexFormat.of();

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
        return POOLS[(int) (Thread.currentThread().threadId() % POOLS.length)].hex(bytes);
    }

    /**
     * One generator and the bytes it drew ahead: a DRBG call has a fixed cost (its state update,
     * a parameters object) whatever it returns, and a request needs 8 or 12 bytes at a time, so
     * each call draws 512 and hands them out once each, in order (issue 13).
     */
    private static final class Pool {
        private final SecureRandom random;
        private final byte[] drawn = new byte[512];
        private int next = drawn.length;

        Pool(SecureRandom random) {
            this.random = random;
        }

        synchronized String hex(int bytes) {
            if (next + bytes > drawn.length) {
                random.nextBytes(drawn);
                next = 0;
            }
            String out = HEX.formatHex(drawn, next, next + bytes);
            next += bytes;
            return out;
        }
    }

    /** Each seeded on its own from the platform's entropy, so none can be inferred from another. */
    private static Pool[] pools(int count) {
        Pool[] pools = new Pool[count];
        try {
            for (int i = 0; i < count; i++) {
                pools[i] = new Pool(SecureRandom.getInstance("DRBG"));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no DRBG SecureRandom in this JDK", e);
        }
        return pools;
    }
}
