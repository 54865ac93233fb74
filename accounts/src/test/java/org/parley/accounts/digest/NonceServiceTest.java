package org.parley.accounts.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.digest.NonceService.Check;

@DisplayName("RFC 7616 §3.3 (stale nonce), §3.4 (nonce-count), §5.4 (nonce integrity): NonceService")
class NonceServiceTest {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration TTL = Duration.ofSeconds(300);
    final NonceService nonces = new NonceService(TTL);

    @Test
    @DisplayName("a nonce is valid for its whole life, ttl included, and stale just after")
    void lifetime() {
        String n = nonces.issue(T0);
        assertThat(nonces.check(n, -1, T0)).isEqualTo(Check.VALID);
        assertThat(nonces.check(n, -1, T0.plus(TTL))).isEqualTo(Check.VALID);
        assertThat(nonces.check(n, -1, T0.plus(TTL).plusMillis(1))).isEqualTo(Check.STALE);
        assertThat(nonces.check(n, 1, T0.plus(Duration.ofHours(5)))).isEqualTo(Check.STALE);
    }

    @Test
    @DisplayName("a nonce dated more than 5 s in the future is not accepted as valid")
    void future() {
        String n = nonces.issue(T0.plusSeconds(60));
        assertThat(nonces.check(n, -1, T0)).isEqualTo(Check.STALE);
        assertThat(nonces.check(nonces.issue(T0.plusSeconds(4)), -1, T0)).isEqualTo(Check.VALID);
    }

    @Test
    @DisplayName("every issued nonce is different and URL-safe (fits a quoted-string without escaping)")
    void unique() {
        String a = nonces.issue(T0);
        String b = nonces.issue(T0);
        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]+");
    }

    @Test
    @DisplayName("§5.4: only the spelling that was issued is valid; every other last character, including those that "
            + "decode to the same bytes (Base64's unused bits), is INVALID")
    void oneSpelling() {
        for (int i = 0; i < 50; i++) {
            String n = nonces.issue(T0);
            String head = n.substring(0, n.length() - 1);
            for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
                String spelled = head + c;
                assertThat(nonces.check(spelled, -1, T0)).as(spelled)
                        .isEqualTo(spelled.equals(n) ? Check.VALID : Check.INVALID);
            }
        }
    }

    @Test
    @DisplayName("nonces issued and checked on many threads at once are all distinct and all VALID (the sealing MACs are shared)")
    void concurrent() {
        int threads = 8;
        int each = 2_000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger notValid = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < each; i++) {
                        String n = nonces.issue(T0);
                        seen.add(n);
                        if (nonces.check(n, 1, T0) != Check.VALID) {
                            notValid.incrementAndGet();
                        }
                    }
                });
            }
        }
        assertThat(seen).hasSize(threads * each);
        assertThat(notValid).hasValue(0);
    }

    @Test
    @DisplayName("an altered nonce is INVALID: any flipped byte, truncation, extension, garbage")
    void altered() {
        String n = nonces.issue(T0);
        byte[] raw = Base64.getUrlDecoder().decode(n);
        for (int i = 0; i < raw.length; i++) {
            byte[] copy = raw.clone();
            copy[i] ^= 0x01;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(copy);
            assertThat(nonces.check(forged, -1, T0)).as("byte %d flipped", i).isEqualTo(Check.INVALID);
        }
        assertThat(nonces.check(n.substring(0, n.length() - 2), -1, T0)).isEqualTo(Check.INVALID);
        assertThat(nonces.check(n + "AAAA", -1, T0)).isEqualTo(Check.INVALID);
        assertThat(nonces.check("not a nonce!", -1, T0)).isEqualTo(Check.INVALID);
        assertThat(nonces.check("", -1, T0)).isEqualTo(Check.INVALID);
    }

    @Test
    @DisplayName("§5.4: a string of a nonce's length with a character outside base64url (+, /, padding, a non-ASCII "
            + "letter, a control character) is INVALID, and its issued neighbour still VALID")
    void foreignCharacters() {
        String n = nonces.issue(T0);
        for (char c : new char[] {'+', '/', '=', '\u00e9', '\u0130', '\u0000', ' '}) {
            for (int at : new int[] {0, n.length() / 2, n.length() - 1}) {
                String forged = n.substring(0, at) + c + n.substring(at + 1);
                assertThat(nonces.check(forged, -1, T0)).as("%s at %d", c, at).isEqualTo(Check.INVALID);
            }
        }
        assertThat(nonces.check(n, -1, T0)).isEqualTo(Check.VALID);
    }

    @Test
    @DisplayName("moving the issue time (to make an old nonce look fresh) breaks the seal")
    void backdated() {
        String n = nonces.issue(T0);
        byte[] raw = Base64.getUrlDecoder().decode(n);
        long later = T0.plus(Duration.ofHours(1)).toEpochMilli();
        for (int i = 7; i >= 0; i--) {
            raw[i] = (byte) later;
            later >>>= 8;
        }
        String moved = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThat(nonces.check(moved, -1, T0.plus(Duration.ofHours(1)))).isEqualTo(Check.INVALID);
    }

    @Test
    @DisplayName("a nonce of another server (another secret) is INVALID")
    void otherSecret() {
        String theirs = new NonceService(TTL).issue(T0);
        assertThat(nonces.check(theirs, -1, T0)).isEqualTo(Check.INVALID);
    }

    @Test
    @DisplayName("nonce-count: an accepted count cannot be used again, nor a lower one; higher ones can")
    void nonceCount() {
        String n = nonces.issue(T0);
        assertThat(nonces.check(n, 1, T0)).isEqualTo(Check.VALID);
        nonces.accept(n, 1);
        assertThat(nonces.check(n, 1, T0)).isEqualTo(Check.REPLAYED);
        assertThat(nonces.check(n, 0, T0)).isEqualTo(Check.REPLAYED);
        assertThat(nonces.check(n, 2, T0)).isEqualTo(Check.VALID);
        nonces.accept(n, 5);
        assertThat(nonces.check(n, 3, T0)).isEqualTo(Check.REPLAYED);
        assertThat(nonces.check(n, 6, T0)).isEqualTo(Check.VALID);
        assertThat(nonces.check(nonces.issue(T0), 1, T0)).as("counts are per nonce").isEqualTo(Check.VALID);
        assertThat(nonces.check(nonces.issue(T0), 0, T0)).as("RFC 7616 §3.4: counts start at 1").isEqualTo(Check.REPLAYED);
    }

    @Test
    @DisplayName("a count is only burnt by accept(), i.e. by an authentic request")
    void checkDoesNotBurn() {
        String n = nonces.issue(T0);
        assertThat(nonces.check(n, 1, T0)).isEqualTo(Check.VALID);
        assertThat(nonces.check(n, 1, T0)).isEqualTo(Check.VALID);
        nonces.accept(n, -1);
        assertThat(nonces.check(n, 1, T0)).isEqualTo(Check.VALID);
    }

    @Test
    @DisplayName("§3.3/§3.4: the counts of the last SLOTS nonces are kept; an older nonce with a count is STALE (a fresh nonce, no replay), without one still VALID")
    void countsOfTheLastNoncesAreKept() {
        String first = nonces.issue(T0);
        nonces.accept(first, 3);
        String kept = null;
        for (int i = 1; i < NonceService.SLOTS; i++) {
            kept = nonces.issue(T0);
        }
        assertThat(nonces.check(first, 3, T0)).as("SLOTS - 1 nonces later its count is still kept").isEqualTo(Check.REPLAYED);
        assertThat(nonces.check(first, 4, T0)).isEqualTo(Check.VALID);
        String taker = nonces.issue(T0); // takes first's slot
        assertThat(nonces.check(first, 4, T0)).isEqualTo(Check.STALE);
        assertThat(nonces.check(first, -1, T0)).isEqualTo(Check.VALID);
        nonces.accept(first, 9); // an authentic request on it cannot burn the new owner's counts
        assertThat(nonces.check(taker, 1, T0)).isEqualTo(Check.VALID);
        nonces.accept(taker, 1);
        assertThat(nonces.check(taker, 1, T0)).isEqualTo(Check.REPLAYED);
        assertThat(nonces.check(kept, 1, T0)).isEqualTo(Check.VALID);
    }

    @Test
    @DisplayName("§3.4: a count beyond what a slot holds (2^24 - 1) asks for a fresh nonce; accept() of a mangled nonce changes nothing")
    void countsBeyondTheSlot() {
        String n = nonces.issue(T0);
        assertThat(nonces.check(n, (1L << 24) - 1, T0)).isEqualTo(Check.VALID);
        assertThat(nonces.check(n, 1L << 24, T0)).isEqualTo(Check.STALE);
        nonces.accept(n, 1L << 24);
        nonces.accept("x", 5);
        nonces.accept(n.substring(1), 5);
        assertThat(nonces.check(n, 1, T0)).isEqualTo(Check.VALID);
    }

    @Test
    @DisplayName("§3.4: counts accepted from many threads at once keep the highest")
    void concurrentAccepts() throws Exception {
        String n = nonces.issue(T0);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                int offset = t;
                pool.submit(() -> {
                    for (int c = 1 + offset; c <= 4000; c += 4) {
                        nonces.accept(n, c);
                    }
                });
            }
        }
        assertThat(nonces.check(n, 4000, T0)).isEqualTo(Check.REPLAYED);
        assertThat(nonces.check(n, 4001, T0)).isEqualTo(Check.VALID);
    }
}
