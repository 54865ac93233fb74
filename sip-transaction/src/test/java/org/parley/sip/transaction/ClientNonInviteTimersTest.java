package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §17.1.2: non-INVITE client transaction, timers E, F, K")
class ClientNonInviteTimersTest {
    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    ClientTransaction message(Transport transport) {
        return h.layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(transport, Harness.PEER), listener);
    }

    @Test
    void timerEDoublesUpToT2AndTimerFGives408At32s() {
        ClientTransaction tx = message(Transport.UDP);
        h.advance(31.99);
        assertThat(h.transport.times("MESSAGE"))
                .containsExactly(0.0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5);
        h.advance(0.01);
        assertThat(listener.statuses()).containsExactly(408);
        assertThat(tx.failure()).contains(ClientTransaction.Failure.TIMEOUT);
        assertThat(h.timeouts("F")).isEqualTo(1);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void timerEUsesT2OnceProceeding() {
        ClientTransaction tx = message(Transport.UDP);
        h.advance(1);
        h.receive(Harness.answer(tx, 100), Harness.UDP);
        h.advance(30.99);
        assertThat(h.transport.times("MESSAGE"))
                .containsExactly(0.0, 0.5, 1.5, 5.5, 9.5, 13.5, 17.5, 21.5, 25.5, 29.5);
        h.advance(0.01);
        assertThat(listener.statuses()).containsExactly(100, 408);
    }

    @Test
    void noRetransmissionOnTcp() {
        message(Transport.TCP);
        h.advance(40);
        assertThat(h.transport.times("MESSAGE")).containsExactly(0.0);
        assertThat(listener.statuses()).containsExactly(408);
    }

    @Test
    void timerKIsT4OnUdpAndRetransmittedFinalsAreAbsorbed() {
        ClientTransaction tx = message(Transport.UDP);
        h.receive(Harness.answer(tx, 200), Harness.UDP);
        h.receive(Harness.answer(tx, 200), Harness.UDP);
        assertThat(listener.statuses()).containsExactly(200);
        h.advance(4.99);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(0.01);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.transport.times("MESSAGE")).containsExactly(0.0);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void timerKIsZeroOnTcp() {
        ClientTransaction tx = message(Transport.TCP);
        h.receive(Harness.answer(tx, 202), Harness.TCP);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }
}
