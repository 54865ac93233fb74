package org.parley.msrp;

/**
 * What one MSRP connection may send us at once.
 *
 * @param maxHeaderBytes start line plus header fields of one request or response; beyond it the
 *                       request is answered 400 (or, before a transaction id is known, the connection closed)
 * @param maxChunkBytes  body of one chunk; a larger chunk is answered 413 (RFC 4975 §7.3: stop sending this message)
 */
public record MsrpLimits(int maxHeaderBytes, int maxChunkBytes) {
    /** RFC 4975 §7.1 keeps non-SEND bodies under 10 KiB; SEND chunks are interruptible above 2 KiB, and 64 KiB is ample. */
    public static final MsrpLimits DEFAULT = new MsrpLimits(8192, 65536);

    public MsrpLimits {
        if (maxHeaderBytes < 512) {
            throw new IllegalArgumentException("maxHeaderBytes too small: " + maxHeaderBytes);
        }
        if (maxChunkBytes < 2048) {
            throw new IllegalArgumentException("maxChunkBytes too small (RFC 4975 §5.1 chunks may be 2048 bytes): "
                    + maxChunkBytes);
        }
    }
}
