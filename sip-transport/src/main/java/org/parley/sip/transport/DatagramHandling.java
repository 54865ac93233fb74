package org.parley.sip.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datagram, one message (RFC 3261 §18.3): parsed and delivered, or, when malformed, counted
 * and answered (400 with the parser's reason, 505, 513) to the address it came from, since its Via
 * cannot be trusted.
 */
final class DatagramHandling implements DatagramReceiver.Handling {
    private static final Logger log = LoggerFactory.getLogger(DatagramHandling.class);

    private final DatagramChannel socket;
    private final Delivery delivery;
    private final TransportMetrics metrics;
    private final int maxBytes;

    DatagramHandling(DatagramChannel socket, Delivery delivery, TransportMetrics metrics, int maxBytes) {
        this.socket = socket;
        this.delivery = delivery;
        this.metrics = metrics;
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(byte[] datagram, Flow flow) {
        switch (InboundParsing.parse(datagram, maxBytes)) {
            case InboundParsing.Accepted accepted -> delivery.deliver(accepted.message(), flow);
            case InboundParsing.Refused refused -> {
                metrics.malformed(Transport.UDP);
                log.debug("malformed datagram from {}: {}", flow.remote(), refused.fault());
                if (refused.answer() != null) {
                    try {
                        socket.send(ByteBuffer.wrap(refused.answer().encode()), flow.remote());
                        metrics.sent(Transport.UDP, refused.answer());
                    } catch (IOException e) {
                        log.debug("cannot answer a malformed datagram from {}", flow.remote(), e);
                    }
                }
            }
        }
    }
}
