package org.parley.accounts.digest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server nonces that need no storage to be checked: issue time and a serial number, sealed with an
 * HMAC under a per-process secret, so a forged or altered nonce is recognised and an old one is
 * known to be stale (RFC 7616 §3.3 "stale"). The only state is the highest nonce-count seen per
 * live nonce, which is what refuses a replayed request (RFC 7616 §3.4, "nc").
 * <p>
 * What makes a nonce unguessable is its seal: without the secret (32 bytes from
 * {@link SecureRandom}) nobody can compute the MAC of a nonce before the server issues it, nor
 * make one up. The serial number next to the issue time only has to keep two nonces apart.
 * <p>
 * The counts sit in one array of {@value #SLOTS} slots indexed by the serial, each slot tagged
 * with the serial that owns it, as Kamailio's auth module keeps them: a map of nonce strings held
 * one entry per challenge for the nonce's whole life (1.2 million entries at 4,000 challenges/s),
 * which the collector copied again at every young collection (issue 13). A nonce whose slot a newer
 * one has taken is answered as stale when it comes with a count, and the client retries with a
 * fresh nonce without asking its user (§3.3); at 4,000 challenges/s that happens to a nonce reused
 * for over two minutes, and a nonce used without a count is never affected.
 */
public final class NonceService {
    /** Outcome of checking a nonce. */
    public enum Check { VALID, STALE, INVALID, REPLAYED }

    private static final int TIME_BYTES = 8;
    private static final int SERIAL_BYTES = 8;
    private static final int SEALED = TIME_BYTES + SERIAL_BYTES;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = SEALED + MAC_BYTES;
    /** Its base64url spelling without padding. */
    private static final int NONCE_CHARS = (NONCE_BYTES * 8 + 5) / 6;
    private static final long FUTURE_TOLERANCE_MILLIS = 5_000;
    /** Idle sealers kept for reuse; more threads than this at once each clone their own. */
    private static final int POOL = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Nonces whose counts are kept: the last this many issued (a power of two; 4 MiB of slots). */
    static final int SLOTS = 1 << 19;
    /** A slot: the owner's serial (its low 40 bits) above its highest count (24 bits). */
    private static final int COUNT_BITS = 24;
    private static final long MAX_COUNT = (1L << COUNT_BITS) - 1;
    private static final long TAG_MASK = (1L << (64 - COUNT_BITS)) - 1;

    /**
     * A MAC initialised with the key (a copy of the prototype's state: neither a provider look-up
     * and key schedule nor a clone per nonce) and the buffers one nonce is made or read in, so that
     * issuing one makes only its String and checking one makes nothing.
     */
    private static final class Sealer {
        final Mac mac;
        final byte[] raw = new byte[NONCE_BYTES];
        final byte[] seal;
        final byte[] text = new byte[NONCE_CHARS];
        final byte[] canonical = new byte[NONCE_CHARS];

        Sealer(Mac mac) {
            this.mac = mac;
            this.seal = new byte[mac.getMacLength()];
        }

        /** The HMAC of the issue time and distinct value in {@link #raw} into {@link #seal}. */
        void sealRaw() {
            mac.update(raw, 0, SEALED);
            try {
                mac.doFinal(seal, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Mac prototype;
    private final IdlePool<Sealer> sealers;
    private final long ttlMillis;
    private final AtomicLong serials = new AtomicLong();
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);

    public NonceService(Duration ttl) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.sealers = new IdlePool<>(POOL, () -> {
            try {
                return new Sealer((Mac) prototype.clone());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        });
        this.ttlMillis = ttl.toMillis();
    }

    public String issue(Instant now) {
        Sealer s = sealers.take();
        try {
            long serial = serials.incrementAndGet();
            // the slot is this nonce's from now on: whichever nonce had it is no longer counted
            counts.set(slot(serial), tag(serial) << COUNT_BITS);
            putLong(s.raw, 0, now.toEpochMilli());
            putLong(s.raw, TIME_BYTES, serial);
            s.sealRaw();
            System.arraycopy(s.seal, 0, s.raw, SEALED, MAC_BYTES);
            ENCODER.encode(s.raw, s.text);
            return new String(s.text, StandardCharsets.ISO_8859_1);
        } finally {
            sealers.give(s);
        }
    }

    /**
     * Checks a nonce and, when the client used qop, its nonce-count: each count may be used once
     * and counts must grow (a replay is refused even within the nonce's life).
     *
     * @param nonceCount the nc value, or -1 when the client did not use qop
     */
    public Check check(String nonce, long nonceCount, Instant now) {
        long issued;
        long serial;
        Sealer s = sealers.take();
        try {
            if (!readSealed(nonce, s)) {
                return Check.INVALID;
            }
            issued = getLong(s.raw, 0);
            serial = getLong(s.raw, TIME_BYTES);
        } finally {
            sealers.give(s);
        }
        long nowMillis = now.toEpochMilli();
        if (issued + ttlMillis < nowMillis || issued > nowMillis + FUTURE_TOLERANCE_MILLIS) {
            return Check.STALE;
        }
        if (nonceCount >= 0) {
            long slot = counts.get(slot(serial));
            if (slot >>> COUNT_BITS != tag(serial) || nonceCount > MAX_COUNT) {
                return Check.STALE; // its count is no longer kept (or could not be): a fresh nonce is
            }
            // counts start at 1 (RFC 7616 §3.4): 0 is never a fresh one
            if (nonceCount <= (slot & MAX_COUNT)) {
                return Check.REPLAYED;
            }
        }
        return Check.VALID;
    }

    /**
     * Whether {@code nonce} is one this service issued, decoded into {@code s.raw}. Base64 leaves
     * unused bits in the last character, which the decoder ignores: only the one spelling
     * {@link #issue} wrote is the nonce, or an altered string would pass as it.
     */
    private static boolean readSealed(String nonce, Sealer s) {
        if (!decode(nonce, s)) {
            return false;
        }
        ENCODER.encode(s.raw, s.canonical);
        if (!Arrays.equals(s.text, s.canonical)) {
            return false;
        }
        s.sealRaw();
        return sealedBy(s.seal, s.raw);
    }

    /** Decodes a nonce of the right length into {@code s.raw}, its text into {@code s.text}; no seal check. */
    private static boolean decode(String nonce, Sealer s) {
        if (nonce.length() != NONCE_CHARS) {
            return false;
        }
        for (int i = 0; i < NONCE_CHARS; i++) {
            char c = nonce.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            s.text[i] = (byte) c;
        }
        try {
            return DECODER.decode(s.text, s.raw) == NONCE_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Records a nonce-count once the request it came with was found authentic (so {@link #check}
     * has already read the nonce's seal: here its serial is only decoded).
     */
    public void accept(String nonce, long nonceCount) {
        if (nonceCount < 0 || nonceCount > MAX_COUNT) {
            return;
        }
        long serial;
        Sealer s = sealers.take();
        try {
            if (!decode(nonce, s)) {
                return;
            }
            serial = getLong(s.raw, TIME_BYTES);
        } finally {
            sealers.give(s);
        }
        int i = slot(serial);
        long tag = tag(serial);
        for (long slot = counts.get(i); slot >>> COUNT_BITS == tag && nonceCount > (slot & MAX_COUNT);
                slot = counts.get(i)) {
            if (counts.compareAndSet(i, slot, tag << COUNT_BITS | nonceCount)) {
                return;
            }
        }
    }

    private static int slot(long serial) {
        return (int) (serial & (SLOTS - 1));
    }

    private static long tag(long serial) {
        return serial & TAG_MASK;
    }

    /** Compares the whole truncated MAC whatever differs first, so the time taken says nothing. */
    private static boolean sealedBy(byte[] mac, byte[] nonce) {
        int diff = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            diff |= mac[i] ^ nonce[SEALED + i];
        }
        return diff == 0;
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
