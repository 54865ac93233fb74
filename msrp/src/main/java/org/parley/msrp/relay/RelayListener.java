package org.parley.msrp.relay;

import java.util.Optional;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpUri;

/**
 * What the relay tells the rest of the server about the sessions it carries, and the one say the
 * server has in them: the chat sessions the SIP side routes use it to count traffic per session,
 * keep messages, enforce per-session limits, and learn that a device vanished (its connection to
 * the relay closed). Called on the relay's I/O threads: implementations return at once and do
 * anything slow elsewhere.
 */
public interface RelayListener {
    /** No listener: it watches nothing, so nothing is copied for it. */
    RelayListener NONE = new RelayListener() {
        @Override
        public boolean watches(MsrpUri sender, MsrpUri receiver) {
            return false;
        }
    };

    /** A refusal of a request the relay would carry: the MSRP status and comment the sender gets. */
    record Refusal(int status, String comment) {
    }

    /**
     * Whether {@link #relaying} wants to see what goes from the user holding {@code sender} to the
     * one holding {@code receiver}: when not, the relay passes the request on without making a copy
     * of it for the listener (it carries the bytes as they came).
     */
    default boolean watches(MsrpUri sender, MsrpUri receiver) {
        return true;
    }

    /**
     * A SEND or REPORT from the user holding {@code sender} (the relay URI at the head of its
     * To-Path) to the user holding {@code receiver} (the last of this relay's URIs in it), before
     * it is carried. A refusal is answered to the sender instead (413 for a message too large for
     * the session, ...).
     */
    default Optional<Refusal> relaying(MsrpUri sender, MsrpUri receiver, MsrpRequest request) {
        return Optional.empty();
    }

    /** A URI the relay granted is no longer good: its connection closed, or it expired. */
    default void ended(MsrpUri uri) {
    }
}
