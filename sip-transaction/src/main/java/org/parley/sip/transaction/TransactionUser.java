package org.parley.sip.transaction;

import java.util.Optional;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

/**
 * What sits on the transaction layer: the proxy core, registrar and other services. Every method
 * runs on the layer's executor, never on a transport I/O thread and never under a transaction's
 * lock; callbacks about one server transaction arrive in order.
 */
public interface TransactionUser {

    /** A new request (never ACK or CANCEL); answer it with {@link ServerTransaction#respond}. */
    void onRequest(ServerTransaction tx);

    /**
     * A CANCEL (RFC 3261 §9.2). The layer has already answered it: 200 when {@code invite} is
     * present, 481 otherwise. If {@code invite} has not sent a final response yet, the TU is
     * expected to stop its work on it (a proxy cancels its branches, §16.10) and answer it 487;
     * {@link ServerTransaction#respond} returns false if a final response beat the 487.
     * Delivered after {@link #onRequest} for that INVITE.
     */
    void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite);

    /** An ACK matching no transaction in need of it: the end-to-end ACK for a 2xx (RFC 6026). */
    void onAck(SipRequest ack, Flow flow);

    /** A response matching no client transaction; a proxy forwards it statelessly (§16.7, §16.11). */
    void onStrayResponse(SipResponse response, Flow flow);

    /** Timer H fired: the ACK for a non-2xx final response never came (§17.2.1). */
    void onServerTimeout(ServerTransaction tx);

    /** A response could not be sent at all (§17.2.4); the transaction is terminated. */
    default void onServerTransportError(ServerTransaction tx, Throwable cause) {
    }

    /** A connection closed (RFC 5626 flow failure); passed on from the transport. */
    default void onFlowClosed(Flow flow) {
    }
}
