package org.parley.msrp.session;

import org.parley.msrp.ByteRange;

/** What an {@link MsrpSession} tells its user (the chat service): whole messages in, and the fate of messages out. */
public interface SessionListener {
    /**
     * A message has arrived whole (all its chunks, RFC 4975 §7.3.1). The last chunk is answered
     * 200 once this returns; to answer otherwise, throw {@link MessageRefused}.
     */
    void message(MsrpSession session, String messageId, String contentType, byte[] content);

    /**
     * A REPORT (RFC 4975 §7.1.2) or a failure response about a message this side sent:
     * {@code status} 200 means delivered; anything else is why it was not.
     */
    default void report(MsrpSession session, String messageId, int status, ByteRange range) {
    }

    /** The sender gave up on a message mid-way (an end-line flag of '#', §7.1.1); its chunks are dropped. */
    default void interrupted(MsrpSession session, String messageId) {
    }

    /**
     * The peer's first request bound the session to its connection (RFC 4975 §5.4): from now on
     * this side may send over {@code link}. Called before that request is handled.
     */
    default void connected(MsrpSession session, MsrpLink link) {
    }

    /** The connection the session was bound to is gone; runs off the I/O threads. */
    default void disconnected(MsrpSession session) {
    }
}
