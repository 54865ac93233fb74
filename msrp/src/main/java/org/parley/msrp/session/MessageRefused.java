package org.parley.msrp.session;

/**
 * Thrown by a {@link SessionListener} that will not take a whole message (a full store, a type
 * it may not keep): the sender's last chunk is answered with this status instead of 200, and no
 * success report is sent (RFC 4975 §7.2: the response is the receiver's verdict on the chunk).
 */
public final class MessageRefused extends RuntimeException {
    private final int status;

    /** @param status an MSRP status (RFC 4975 §10), e.g. 413 or 415; {@code comment} becomes the response's comment */
    public MessageRefused(int status, String comment) {
        super(comment, null, false, false);
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a refusal is a 4xx-6xx status: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
