package org.parley.accounts.digest;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server nonces that need no storage to be checked: issue time and a distinct value, sealed with an
 * HMAC under a per-process secret, so a forged or altered nonce is recognised and an old one is
 * known to be stale (RFC 7616 §3.3 "stale"). The only state is the highest nonce-count seen per
 * live nonce, which is what refuses a replayed request (RFC 7616 §3.4, "nc").
 * <p>
 * What makes a nonce unguessable is its seal: without the secret (32 bytes from
 * {@link SecureRandom}) nobody can compute the MAC of a nonce before the server issues it, nor
 * make one up. The value next to the issue time only has to keep two nonces of the same
 * millisecond apart, so it comes from {@link ThreadLocalRandom} — no shared generator and no lock
 * on the challenge path, where a shared {@code SecureRandom} made every 401 of every thread wait
 * for one monitor.
 */
public final class NonceService {
    /** Outcome of checking a nonce. */
    public enum Check { VALID, STALE, INVALID, REPLAYED }

    private static final int TIME_BYTES = 8;
    private static final int DISTINCT_BYTES = 8;
    private static final int SEALED = TIME_BYTES + DISTINCT_BYTES;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = SEALED + MAC_BYTES;
    private static final int HMAC_SHA256_BYTES = 32;
    private static final long FUTURE_TOLERANCE_MILLIS = 5_000;
    /** Idle MACs kept for reuse; more threads than this at once each clone their own. */
    private static final int POOL = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /**
     * Initialised with the key once; what a nonce is sealed with is a copy taken from {@link #idle}
     * and given back, so that a nonce costs neither a provider look-up and key schedule
     * ({@code Mac.getInstance} + {@code init}) nor a clone of the MAC's state.
     */
    private final Mac prototype;
    private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(POOL);
    private final long ttlMillis;
    private final Map<String, Long> highestCount = new ConcurrentHashMap<>();

    public NonceService(Duration ttl) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.ttlMillis = ttl.toMillis();
    }

    public String issue(Instant now) {
        byte[] nonce = new byte[NONCE_BYTES];
        putLong(nonce, 0, now.toEpochMilli());
        putLong(nonce, TIME_BYTES, ThreadLocalRandom.current().nextLong());
        byte[] mac = seal(nonce);
        System.arraycopy(mac, 0, nonce, SEALED, MAC_BYTES);
        return ENCODER.encodeToString(nonce);
    }

    /**
     * Checks a nonce and, when the client used qop, its nonce-count: each count may be used once
     * and counts must grow (a replay is refused even within the nonce's life).
     *
     * @param nonceCount the nc value, or -1 when the client did not use qop
     */
    public Check check(String nonce, long nonceCount, Instant now) {
        byte[] raw;
        try {
            raw = DECODER.decode(nonce);
        } catch (IllegalArgumentException e) {
            return Check.INVALID;
        }
        // Base64 leaves unused bits in the last character, which the decoder ignores: only the one
        // spelling issue() wrote is the nonce, or an altered string would pass as it.
        if (raw.length != NONCE_BYTES || !ENCODER.encodeToString(raw).equals(nonce) || !sealedBy(seal(raw), raw)) {
            return Check.INVALID;
        }
        long issued = getLong(raw, 0);
        long nowMillis = now.toEpochMilli();
        if (issued + ttlMillis < nowMillis || issued > nowMillis + FUTURE_TOLERANCE_MILLIS) {
            highestCount.remove(nonce);
            return Check.STALE;
        }
        if (nonceCount >= 0) {
            long previous = highestCount.getOrDefault(nonce, 0L);
            if (nonceCount <= previous) {
                return Check.REPLAYED;
            }
        }
        return Check.VALID;
    }

    /** Records a nonce-count once the request it came with was found authentic. */
    public void accept(String nonce, long nonceCount) {
        if (nonceCount >= 0) {
            highestCount.merge(nonce, nonceCount, Math::max);
        }
    }

    /** Forgets counts of nonces past their life; called now and then so the map stays small. */
    public void purge(Instant now) {
        for (Iterator<String> it = highestCount.keySet().iterator(); it.hasNext(); ) {
            if (check(it.next(), -1, now) != Check.VALID) {
                it.remove();
            }
        }
    }

    /** The HMAC of the issue time and distinct value of {@code nonce} (its first {@value #SEALED} bytes). */
    private byte[] seal(byte[] nonce) {
        Mac mac = take();
        try {
            mac.update(nonce, 0, SEALED);
            return mac.doFinal();
        } finally {
            give(mac);
        }
    }

    /** Compares the whole truncated MAC whatever differs first, so the time taken says nothing. */
    private static boolean sealedBy(byte[] mac, byte[] nonce) {
        int diff = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            diff |= mac[i] ^ nonce[SEALED + i];
        }
        return diff == 0;
    }

    private Mac take() {
        for (int i = 0; i < POOL; i++) {
            Mac m = idle.getAndSet(i, null);
            if (m != null) {
                return m;
            }
        }
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code doFinal} has reset it to the keyed state, ready for the next nonce. */
    private void give(Mac mac) {
        for (int i = 0; i < POOL; i++) {
            if (idle.compareAndSet(i, null, mac)) {
                return;
            }
        }
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }
}
