package org.parley.sip.transport;

import org.parley.sip.message.SipMessage;

/**
 * Receives every well-formed message from the transports. Malformed requests never get here:
 * the transport answers them (400, 505, 513). Called on a transport I/O thread: implementations
 * must hand blocking work to another executor.
 */
public interface InboundHandler {
    void onMessage(SipMessage message, Flow flow);

    /** A connection closed; bindings and subscriptions riding on it may need to know (RFC 5626). */
    default void onFlowClosed(Flow flow) {
    }
}
