package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §8.1.3.1, §17.1.4, §17.2.4: transport failures")
class TransportFailureTest {
    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    @Test
    void failedSendGivesTheListenerA503() {
        h.transport.failing = true;
        ClientTransaction invite = h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(Harness.TCP), listener);
        ClientTransaction message = h.layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(Transport.TCP, Harness.PEER), listener);
        assertThat(listener.statuses()).containsExactly(503, 503);
        assertThat(invite.failure()).contains(ClientTransaction.Failure.TRANSPORT);
        assertThat(message.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void failedRetransmissionOnUdpToo() {
        h.layer.sendRequest(Harness.outgoing("OPTIONS"), Target.of(Harness.UDP), listener);
        h.transport.failing = true;
        h.advance(0.5);
        assertThat(listener.statuses()).containsExactly(503);
        h.advance(60);
        assertThat(listener.statuses()).containsExactly(503);
    }

    @Test
    void failedResponseTerminatesTheServerTransactionAndTellsTheTu() {
        h.transport.failing = true;
        h.receive(Harness.incoming("INVITE", "z9hG4bKfail"), Harness.TCP);
        ServerTransaction tx = h.user.last();
        assertThat(h.user.transportErrors).containsExactly(tx);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(tx.respond(tx.request().createResponse(486, tx.localTag()))).isFalse();
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("§8.1.3.1: a send that fails later (a connection being opened) still gives the listener a 503")
    void sendFailingLaterGivesTheListenerA503() {
        h.transport.holding = true;
        ClientTransaction message = h.layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(Transport.TCP, Harness.PEER), listener);
        assertThat(listener.statuses()).isEmpty();
        assertThat(message.flow()).isEmpty();
        h.transport.held.get(0).completeExceptionally(new IOException("connection refused"));
        assertThat(listener.statuses()).containsExactly(503);
        assertThat(message.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("§17.1.4: a send that succeeds later gives the transaction the flow it left on")
    void sendSucceedingLaterSetsTheFlow() {
        h.transport.holding = true;
        ClientTransaction message = h.layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(Transport.TCP, Harness.PEER), listener);
        h.transport.held.get(0).complete(Harness.TCP);
        assertThat(message.flow()).contains(Harness.TCP);
        assertThat(listener.statuses()).isEmpty();
    }

    @Test
    @DisplayName("§17.2.4: a response whose send fails later terminates the server transaction and tells the TU; no final goes out")
    void responseFailingLaterTerminatesTheServerTransaction() {
        h.transport.holding = true;
        h.receive(Harness.incoming("MESSAGE", "z9hG4bKlate"), Harness.TCP);
        ServerTransaction tx = h.user.last();
        tx.respond(tx.request().createResponse(100, null));
        assertThat(h.user.transportErrors).isEmpty();
        h.transport.held.get(0).completeExceptionally(new IOException("connection reset"));
        assertThat(h.user.transportErrors).containsExactly(tx);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(tx.respond(tx.request().createResponse(200, tx.localTag()))).isFalse();
        assertThat(h.empty()).isTrue();
    }
}
