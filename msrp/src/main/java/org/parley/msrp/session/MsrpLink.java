package org.parley.msrp.session;

import java.util.List;
import org.parley.msrp.MsrpRequest;

/**
 * The connection a session's peer opened to this endpoint (RFC 4975 §5.4: the offerer is active)
 * and bound to the session with its first request: the only way this side's own requests reach
 * the peer. Writes never block; a peer that reads slowly is the session user's to notice
 * ({@link MsrpSession#unanswered()}).
 */
public interface MsrpLink {
    /** Writes the requests (chunks of one message, in order) and flushes. */
    void send(List<MsrpRequest> requests);

    /** Closes the connection (and with it every session it carries). */
    void close();
}
