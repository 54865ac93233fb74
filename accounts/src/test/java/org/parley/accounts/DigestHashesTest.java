package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Known answers from RFC 7616 §3.9.1 (also checked with md5sum / sha256sum). */
@DisplayName("Digest HA1 and H() for account credentials (C1, RFC 7616 §3.9.1)")
class DigestHashesTest {
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    @Test
    void ha1MatchesTheRfcExample() {
        assertThat(DigestHashes.ha1("MD5", "Mufasa", "http-auth@example.org", "Circle of Life"))
                .isEqualTo("3d78807defe7de2157e2b0b6573a855f");
        assertThat(DigestHashes.ha1("SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life"))
                .isEqualTo("7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232");
    }

    @Test
    void hexComputesTheRfcResponses() {
        assertThat(response("MD5", "3d78807defe7de2157e2b0b6573a855f"))
                .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(response("sha-256", "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232"))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void knowsWhichAlgorithmsItSupports() {
        assertThat(DigestHashes.isSupported("MD5-sess")).isTrue();
        assertThat(DigestHashes.isSupported("SHA-512-256")).isTrue();
        assertThat(DigestHashes.hex("SHA-256-sess", "x")).isEqualTo(DigestHashes.hex("SHA-256", "x"));
        assertThat(DigestHashes.isSupported("SHA-1")).isFalse();
        assertThatThrownBy(() -> DigestHashes.hex("AKAv1-MD5", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String response(String algorithm, String ha1) {
        String ha2 = DigestHashes.hex(algorithm, "GET:/dir/index.html");
        return DigestHashes.hex(algorithm, ha1 + ":" + NONCE + ":00000001:" + CNONCE + ":auth:" + ha2);
    }
}
