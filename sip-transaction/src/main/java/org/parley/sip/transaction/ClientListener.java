package org.parley.sip.transaction;

import org.parley.sip.message.SipResponse;

/**
 * Receives the responses of one client transaction, in order, on the layer's executor. Failures
 * arrive as responses too, as RFC 3261 has the TU treat them: 408 when timer B or F fires (or no
 * final came 64*T1 after a CANCEL, §9.1), 503 when the transport could not send (§8.1.3.1);
 * {@link ClientTransaction#failure()} tells those apart from real ones.
 */
@FunctionalInterface
public interface ClientListener {
    /**
     * Provisional and final responses. For an INVITE every 2xx is passed up, retransmissions and
     * forked ones included (RFC 6026 §7.2): the TU sends the ACK for each.
     */
    void onResponse(ClientTransaction tx, SipResponse response);
}
