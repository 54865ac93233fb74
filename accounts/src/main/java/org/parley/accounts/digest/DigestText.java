package org.parley.accounts.digest;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * H() of a text assembled in place (RFC 7616 §3.4.1): the pieces are written as UTF-8 into one
 * buffer and hashed into lower-case hex bytes, so that checking a response makes no intermediate
 * String — each HA2 and each response was a concatenation, its UTF-8 copy and a hex String before,
 * on every authenticated request. Holds the three hex values a check needs ({@link #ha1},
 * {@link #ha2}, {@link #expected}). Not thread-safe: taken from {@link DigestAlgorithm#take()} for
 * one check and given back.
 */
final class DigestText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Enough for every usual response text (HA1, nonce, nc, cnonce, qop and HA2 of SHA-256: ~230 bytes). */
    private static final int KEPT_BYTES = 512;

    private final MessageDigest md;
    private final byte[] hash;
    final byte[] ha1;
    final byte[] ha2;
    final byte[] expected;
    private byte[] text = new byte[KEPT_BYTES];
    private int length;
    /**
     * The method and uri whose H(method ":" uri) {@link #ha2} holds, null when none: a client
     * registering again and again sends the same two, and HA2 is a function of them alone.
     */
    private String ha2Method;
    private String ha2Uri;

    DigestText(MessageDigest md) {
        this.md = md;
        this.hash = new byte[md.getDigestLength()];
        this.ha1 = new byte[2 * hash.length];
        this.ha2 = new byte[2 * hash.length];
        this.expected = new byte[2 * hash.length];
    }

    /** Appends {@code s} as UTF-8; ASCII, which digest parameters are in practice, is copied as it stands. */
    DigestText add(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return add(s.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            text[length++] = (byte) c;
        }
        return this;
    }

    /** Appends an ASCII character (the ':' between the parts). */
    DigestText add(char c) {
        room(1);
        text[length++] = (byte) c;
        return this;
    }

    DigestText add(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, text, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /**
     * Makes {@link #ha2} H(method ":" uri) (RFC 7616 §3.4.3, qop=auth), unless it holds it already;
     * on an empty text, as a check starts.
     */
    DigestText ha2Of(String method, String uri) {
        if (method.equals(ha2Method) && uri.equals(ha2Uri)) {
            return this;
        }
        ha2Method = null; // until ha2 holds the new hash
        add(method).add(':').add(uri).hexInto(ha2);
        ha2Method = method;
        ha2Uri = uri;
        return this;
    }

    /** Hashes what was appended into {@code hex} (one of this object's three) and starts a new text. */
    void hexInto(byte[] hex) {
        md.update(text, 0, length);
        length = 0;
        try {
            md.digest(hash, 0, hash.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < hash.length; i++) {
            hex[2 * i] = HEX[(hash[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[hash[i] & 0xF];
        }
    }

    /**
     * Whether {@code hex} spells {@code response} (hex digits in either case), comparing every
     * character whatever differs first, so the time taken says nothing about the expected value.
     */
    static boolean spells(byte[] hex, String response) {
        if (response.length() != hex.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < hex.length; i++) {
            char c = response.charAt(i);
            diff |= hex[i] ^ (c >= 'A' && c <= 'F' ? c + ('a' - 'A') : c);
        }
        return diff == 0;
    }

    /** Ready for the next taker: no text left from an interrupted check, no buffer a huge header grew kept. */
    void reset() {
        length = 0;
        md.reset();
        if (text.length > KEPT_BYTES) {
            text = new byte[KEPT_BYTES];
        }
    }

    private void room(int more) {
        if (length + more > text.length) {
            text = Arrays.copyOf(text, Math.max(2 * text.length, length + more));
        }
    }
}
