package org.parley.sip.transaction;

/**
 * The octets by which a {@link CompletedLog} knows a completed transaction: the parts of its key
 * (RFC 3261 §17.1.3, §17.2.3) one after another, each text in modified UTF-8 (a char is one to
 * three octets, none of them 0xFE or 0xFF) ended by 0xFF, a missing one as 0xFE, a number as
 * eight octets. Two keys have equal octets exactly when their parts are equal, so the log can
 * compare octets where the table compared records. Sized first and written once: one array.
 */
final class KeyBytes {
    private static final byte END = (byte) 0xFF;
    private static final byte ABSENT = (byte) 0xFE;

    /** What {@link #put(long)} writes. */
    static final int NUMBER = Long.BYTES;

    private final byte[] out;
    private int at;

    /** @param size the sum of {@link #text(String)} and {@link #NUMBER} sizes of what follows, plus one for the kind */
    KeyBytes(int size, char kind) {
        out = new byte[size];
        out[at++] = (byte) kind;
    }

    /** What {@link #text(String)} writes for {@code s}. */
    static int text(String s) {
        if (s == null) {
            return 1;
        }
        int n = s.length() + 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 ? 1 : 2;
            }
        }
        return n;
    }

    KeyBytes put(String s) {
        if (s == null) {
            out[at++] = ABSENT;
            return this;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        out[at++] = END;
        return this;
    }

    KeyBytes put(long n) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out[at++] = (byte) (n >>> shift);
        }
        return this;
    }

    byte[] bytes() {
        if (at != out.length) {
            throw new IllegalStateException("key sized " + out.length + " but " + at + " octets written");
        }
        return out;
    }
}
