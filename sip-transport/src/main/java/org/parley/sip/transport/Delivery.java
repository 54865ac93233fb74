package org.parley.sip.transport;

import org.parley.sip.message.SipMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands a well-formed message up, stamped with where it came from, and counted. */
final class Delivery {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final InboundHandler handler;
    private final TransportMetrics metrics;
    private final ViaStamp stamp = new ViaStamp();

    Delivery(InboundHandler handler, TransportMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    void deliver(SipMessage message, Flow flow) {
        SipMessage stamped = stamp.apply(message, flow.remote());
        metrics.received(flow.transport(), stamped);
        try {
            handler.onMessage(stamped, flow);
        } catch (RuntimeException e) {
            // One bad message must not take the connection, or the I/O thread, down with it.
            log.warn("inbound handler failed on a message from {}", flow.token(), e);
        }
    }
}
