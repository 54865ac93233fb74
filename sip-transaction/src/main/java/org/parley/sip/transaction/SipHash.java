package org.parley.sip.transaction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed
 * pseudo-random function of a few dozen octets in well under a microsecond. The transaction layer
 * draws its To tags from it ({@link TransactionLayer}), where a tag must be unpredictable to
 * anyone without the key (RFC 3261 §19.3) and yet the same for a retransmitted request (§8.2.7),
 * and Timers J and K index their logs by it ({@link CompletedLogs}), where peers choose the keys
 * and must not be able to make them collide. Each use has its own random key.
 */
final class SipHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long k0;
    private final long k1;

    /** The 128-bit key as two little-endian words, as the paper reads its 16 key octets. */
    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    long hash(byte[] data) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
                k1 ^ 0x7465646279746573L};
        int whole = data.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            compress(v, (long) LONGS.get(data, i));
        }
        // the last word: the remaining octets, with the message length (mod 256) in its top octet
        long m = (long) data.length << 56;
        for (int i = whole; i < data.length; i++) {
            m |= (data[i] & 0xFFL) << (8 * (i - whole));
        }
        compress(v, m);
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** One message word through two SipRounds (the "2" of SipHash-2-4). */
    private static void compress(long[] v, long m) {
        v[3] ^= m;
        rounds(v, 2);
        v[0] ^= m;
    }

    private static void rounds(long[] v, int n) {
        long v0 = v[0];
        long v1 = v[1];
        long v2 = v[2];
        long v3 = v[3];
        for (int r = 0; r < n; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v[0] = v0;
        v[1] = v1;
        v[2] = v2;
        v[3] = v3;
    }
}
