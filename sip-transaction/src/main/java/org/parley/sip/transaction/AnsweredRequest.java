package org.parley.sip.transaction;

import org.parley.sip.message.Via;

/**
 * A completed non-INVITE client transaction over UDP as Timer K keeps it (RFC 3261 §17.1.2.2):
 * for T4 it only absorbs retransmissions of the final response, so it holds what matching one
 * needs (§17.1.3: the branch and method of its key, the sent-by of our Via) and nothing else —
 * not the request, its target, or the listener, through which the proxy's whole forwarding state
 * (the server transaction and the request it relays) stayed reachable for those 5 s (issue 13).
 */
final class AnsweredRequest {
    private final ClientKey key;
    /** Our Via's sent-by, which a response must carry back (§17.1.3). */
    private final String host;
    private final int port;
    private volatile boolean expired;

    AnsweredRequest(ClientKey key, Via ours) {
        this.key = key;
        this.host = ours.host();
        this.port = ours.port();
    }

    ClientKey key() {
        return key;
    }

    /** True when the response's top Via is the one the transaction put there (§17.1.3). */
    boolean isOurs(Via top) {
        return top.host().equalsIgnoreCase(host) && top.port() == port;
    }

    /** Timer K fired: the transaction is terminated. */
    void expire() {
        expired = true;
    }

    boolean expired() {
        return expired;
    }
}
