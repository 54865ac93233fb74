package org.parley.accounts.digest;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server nonces that need no storage to be checked: issue time and randomness, sealed with an
 * HMAC under a per-process secret, so a forged or altered nonce is recognised and an old one is
 * known to be stale (RFC 7616 §3.3 "stale"). The only state is the highest nonce-count seen per
 * live nonce, which is what refuses a replayed request (RFC 7616 §3.4, "nc").
 */
public final class NonceService {
    /** Outcome of checking a nonce. */
    public enum Check { VALID, STALE, INVALID, REPLAYED }

    private static final int RANDOM_BYTES = 12;
    private static final int MAC_BYTES = 16;

    /**
     * Initialised with the key once and cloned per nonce: a Mac is not thread-safe, and a clone
     * costs a copy of its state where {@code Mac.getInstance} + {@code init} cost a provider
     * look-up and the key schedule on every challenge and every check.
     */
    private final Mac prototype;
    private final SecureRandom random = new SecureRandom();
    private final Duration ttl;
    private final Map<String, Long> highestCount = new ConcurrentHashMap<>();

    public NonceService(Duration ttl) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.ttl = ttl;
    }

    public String issue(Instant now) {
        ByteBuffer b = ByteBuffer.allocate(8 + RANDOM_BYTES + MAC_BYTES);
        b.putLong(now.toEpochMilli());
        byte[] r = new byte[RANDOM_BYTES];
        random.nextBytes(r);
        b.put(r);
        b.put(mac(b.array(), 8 + RANDOM_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
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
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Check.INVALID;
        }
        if (raw.length != 8 + RANDOM_BYTES + MAC_BYTES) {
            return Check.INVALID;
        }
        byte[] expected = mac(raw, 8 + RANDOM_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, 8 + RANDOM_BYTES, raw.length))) {
            return Check.INVALID;
        }
        Instant issued = Instant.ofEpochMilli(ByteBuffer.wrap(raw).getLong());
        if (issued.plus(ttl).isBefore(now) || issued.isAfter(now.plusSeconds(5))) {
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

    private byte[] mac(byte[] data, int length) {
        try {
            Mac m = (Mac) prototype.clone();
            m.update(data, 0, length);
            return Arrays.copyOf(m.doFinal(), MAC_BYTES);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
