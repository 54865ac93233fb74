package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.sip.message.SipMessage;

/** (RFC 3261 §18 transport) Records what the transport hands up, for the test thread to take. */
final class RecordingHandler implements InboundHandler {
    record Received(SipMessage message, Flow flow) {
    }

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Flow> closed = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(SipMessage message, Flow flow) {
        messages.add(new Received(message, flow));
    }

    @Override
    public void onFlowClosed(Flow flow) {
        closed.add(flow);
    }

    Received next() throws InterruptedException {
        Received r = messages.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a message delivered within 5 s").isNotNull();
        return r;
    }

    Flow nextClosed() throws InterruptedException {
        Flow f = closed.poll(5, TimeUnit.SECONDS);
        assertThat(f).as("a flow reported closed within 5 s").isNotNull();
        return f;
    }

    void assertNothingDelivered() throws InterruptedException {
        assertThat(messages.poll(300, TimeUnit.MILLISECONDS)).as("nothing delivered").isNull();
    }
}
