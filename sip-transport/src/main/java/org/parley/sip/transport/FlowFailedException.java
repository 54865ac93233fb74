package org.parley.sip.transport;

import java.io.IOException;

/**
 * The connection a flow named is gone (RFC 5626 §4.4, §5.3): the sender must not open a new one
 * in its place, since the device behind a NAT can only be reached on the flow it opened. A proxy
 * answers 430 Flow Failed.
 */
public final class FlowFailedException extends IOException {
    private final transient Flow flow;

    public FlowFailedException(Flow flow) {
        super("flow " + flow.token() + " is closed");
        this.flow = flow;
    }

    public Flow flow() {
        return flow;
    }
}
