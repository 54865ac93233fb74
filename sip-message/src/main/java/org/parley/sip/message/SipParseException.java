package org.parley.sip.message;

/**
 * A message, or one of its parts, that does not follow the grammar. The message is the fault
 * named in plain words: it becomes the reason phrase of the 400 (or {@link #status()}) answer.
 */
public final class SipParseException extends RuntimeException {
    private final int status;

    public SipParseException(String reason) {
        this(400, reason);
    }

    public SipParseException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** The status a server answers a request with when its parse fails like this. */
    public int status() {
        return status;
    }
}
