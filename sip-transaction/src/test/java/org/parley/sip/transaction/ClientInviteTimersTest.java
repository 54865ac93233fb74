package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §17.1.1: INVITE client transaction, timers A, B, D and the non-2xx ACK")
class ClientInviteTimersTest {
    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    ClientTransaction invite(Transport transport) {
        return h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(transport, Harness.PEER), listener);
    }

    @Test
    void timerARetransmitsAtDoublingIntervalsOnUdpAndTimerBGives408At32s() {
        ClientTransaction tx = invite(Transport.UDP);
        h.advance(31.99);
        assertThat(h.transport.times("INVITE")).containsExactly(0.0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5);
        assertThat(listener.responses).isEmpty();

        h.advance(0.01);
        assertThat(listener.statuses()).containsExactly(408);
        assertThat(tx.failure()).contains(ClientTransaction.Failure.TIMEOUT);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.timeouts("B")).isEqualTo(1);
        h.advance(100);
        assertThat(h.transport.times("INVITE")).hasSize(7);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void noRetransmissionOnTcpButTimerBStillRuns() {
        invite(Transport.TCP);
        h.advance(31.99);
        assertThat(h.transport.times("INVITE")).containsExactly(0.0);
        h.advance(0.01);
        assertThat(listener.statuses()).containsExactly(408);
    }

    @Test
    void provisionalResponseStopsTimersAAndB() {
        ClientTransaction tx = invite(Transport.UDP);
        h.advance(1);
        h.receive(Harness.answer(tx, 180), Harness.UDP);
        h.advance(120);
        assertThat(h.transport.times("INVITE")).containsExactly(0.0, 0.5);
        assertThat(listener.statuses()).containsExactly(180);
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
    }

    @Test
    void nonSuccessFinalIsAckedWithTheSameBranchAndPassedUpOnce() {
        ClientTransaction tx = invite(Transport.UDP);
        h.receive(Harness.answer(tx, 486), Harness.UDP);
        h.receive(Harness.answer(tx, 486), Harness.UDP); // the ACK was lost

        assertThat(listener.statuses()).containsExactly(486);
        assertThat(h.transport.requests("ACK")).hasSize(2);
        SipRequest ack = h.transport.requests("ACK").get(0);
        assertThat(ack.requestUri()).isEqualTo(tx.request().requestUri());
        assertThat(ack.vias()).containsExactly(tx.request().topVia());
        assertThat(ack.topVia().branch()).contains(tx.branch());
        assertThat(ack.to().tag()).contains("callee-tag");
        assertThat(ack.from()).isEqualTo(tx.request().from());
        assertThat(ack.callId()).isEqualTo(tx.request().callId());
        assertThat(ack.cseq().toString()).isEqualTo("7 ACK");
        assertThat(ack.headers().lines("Route")).containsExactly("<sip:edge.example.net;lr>");
        assertThat(h.transport.last().flow()).isEqualTo(tx.flow().orElseThrow());
    }

    @Test
    void timerDIs32sOnUdp() {
        ClientTransaction tx = invite(Transport.UDP);
        h.receive(Harness.answer(tx, 603), Harness.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(31.99);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(0.01);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void timerDIsZeroOnTcp() {
        ClientTransaction tx = invite(Transport.TCP);
        h.receive(Harness.answer(tx, 404), Harness.TCP);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.transport.requests("ACK")).hasSize(1);
        assertThat(h.empty()).isTrue();
    }
}
