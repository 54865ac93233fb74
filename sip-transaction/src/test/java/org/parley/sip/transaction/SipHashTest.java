package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SipHash-2-4, the PRF of the To tags (RFC 3261 §19.3, §8.2.7): the reference vectors of Aumasson and Bernstein's paper")
class SipHashTest {
    /** The paper's key: octets 00 to 0f, read as two little-endian words. */
    private static final SipHash PAPER_KEY = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    @DisplayName("the paper's Appendix A example: the 15 octets 00 to 0e give a129ca6149be45e5")
    void appendixExample() {
        assertThat(PAPER_KEY.hash(counting(15))).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    @DisplayName("the first vector of the reference implementation: the empty message gives 726fdb47dd0e0e31")
    void emptyMessage() {
        assertThat(PAPER_KEY.hash(new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
    }

    @Test
    @DisplayName("a whole number of words (8, 16 octets) and the tail of each length in between are all read")
    void everyOctetCounts() {
        for (int n = 1; n <= 16; n++) {
            byte[] m = counting(n);
            long h = PAPER_KEY.hash(m);
            for (int i = 0; i < n; i++) {
                byte[] changed = m.clone();
                changed[i] ^= 1;
                assertThat(PAPER_KEY.hash(changed)).as("length %d, octet %d", n, i).isNotEqualTo(h);
            }
            assertThat(new SipHash(1, 2).hash(m)).as("another key, length %d", n).isNotEqualTo(h);
        }
    }
}
