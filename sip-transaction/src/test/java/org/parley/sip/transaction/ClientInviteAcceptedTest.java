package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 6026 §7.2: INVITE client Accepted state and timer M")
class ClientInviteAcceptedTest {
    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    @Test
    void every2xxIsPassedUpUntilTimerMAndNoAckIsGenerated() {
        ClientTransaction tx = h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(Transport.TCP, Harness.PEER), listener);
        h.receive(Harness.answer(tx, 200), Harness.TCP);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        h.advance(10);
        h.receive(Harness.answer(tx, 200), Harness.TCP);
        h.receive(Harness.answer(tx, 486), Harness.TCP); // not a 2xx: dropped in Accepted
        assertThat(listener.statuses()).containsExactly(200, 200);
        assertThat(h.transport.requests("ACK")).isEmpty();

        h.advance(21.99);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        h.advance(0.01);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();

        h.receive(Harness.answer(tx, 200), Harness.TCP);
        assertThat(h.user.strays).extracting(r -> r.status()).containsExactly(200);
    }
}
