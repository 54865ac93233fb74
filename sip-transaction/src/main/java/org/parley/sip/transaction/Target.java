package org.parley.sip.transaction;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/** Where a client transaction sends its request. */
public sealed interface Target {

    Transport transport();

    /** Over an existing flow, e.g. the connection a device registered on (RFC 5626). */
    static Target of(Flow flow) {
        return new OverFlow(flow);
    }

    /** To an address, reusing or opening a connection as the transport sees fit. */
    static Target of(Transport transport, InetSocketAddress address) {
        return new ToAddress(transport, address);
    }

    record OverFlow(Flow flow) implements Target {
        public OverFlow {
            Objects.requireNonNull(flow, "flow");
        }

        @Override
        public Transport transport() {
            return flow.transport();
        }
    }

    record ToAddress(Transport transport, InetSocketAddress address) implements Target {
        public ToAddress {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(address, "address");
        }
    }
}
