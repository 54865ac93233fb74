package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.transport.Flow;

@DisplayName("RFC 3261 §17.2.2: non-INVITE server transaction, timer J")
class ServerNonInviteTest {
    final Harness h = new Harness();

    ServerTransaction receive(String transport, Flow flow) {
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/" + transport + " 198.51.100.7:5060;branch=z9hG4bKmsg1", null, 3), flow);
        return h.user.last();
    }

    @Test
    void retransmissionIsAbsorbedInTryingAndAnsweredWithTheLastResponseLater() {
        ServerTransaction tx = receive("UDP", Harness.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.TRYING);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.sent).isEmpty();

        tx.respond(tx.request().createResponse(100, null));
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        h.receive(tx.request(), Harness.UDP);
        tx.respond(tx.request().createResponse(202, tx.localTag()));
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(100, 100, 202, 202);
        assertThat(h.user.requests).hasSize(1);
        assertThat(tx.respond(tx.request().createResponse(500, tx.localTag()))).isFalse();
    }

    @Test
    void timerJIs64T1OnUdp() {
        ServerTransaction tx = receive("UDP", Harness.UDP);
        tx.respond(tx.request().createResponse(200, tx.localTag()));
        h.advance(31.99);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(0.01);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void timerJIsZeroOnTcp() {
        ServerTransaction tx = receive("TCP", Harness.TCP);
        tx.respond(tx.request().createResponse(200, tx.localTag()));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("§17.2.2: a final response over UDP whose send completes later is handed to Timer J only then; retransmissions get it meanwhile")
    void finalSentLaterIsKeptOnceItHasLeft() {
        h.transport.holding = true;
        ServerTransaction tx = receive("UDP", Harness.UDP);
        tx.respond(tx.request().createResponse(200, tx.localTag()));
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(200, 200);
        h.transport.holding = false;
        h.transport.held.get(0).complete(Harness.UDP);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(200, 200, 200);
        assertThat(h.user.requests).hasSize(1);
        h.advance(32);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }
}
