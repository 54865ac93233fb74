package org.parley.sip.transaction;

import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;

/**
 * A completed non-INVITE server transaction over UDP as Timer J keeps it (RFC 3261 §17.2.2): for
 * its 32 s it only repeats its final response to a retransmitted request, so it holds the wire
 * form of that response and the flow it went out on, and nothing parsed — neither the request
 * nor the response, whose copies at 2,400 requests/s were what filled the heap (issue 13). It
 * knows its key, by which Timer J's {@link ExpiryQueue} takes it out of the layer's table.
 */
final class CompletedAnswer {
    private final ServerKey key;
    private final byte[] wire;
    private final Flow sentOn;
    private volatile boolean expired;

    CompletedAnswer(ServerKey key, byte[] wire, Flow sentOn) {
        this.key = key;
        this.wire = wire;
        this.sentOn = sentOn;
    }

    ServerKey key() {
        return key;
    }

    /** Sends the final response again, as it was first sent; nothing once Timer J has fired. */
    void repeat(SipTransport transport) {
        if (!expired) {
            transport.resend(wire, sentOn);
        }
    }

    /** Timer J fired: the transaction is terminated. */
    void expire() {
        expired = true;
    }

    boolean expired() {
        return expired;
    }
}
