package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

    @Test
    @DisplayName("§8.2.7: a challenge sent statelessly over UDP keeps nothing; its retransmission is a new request, answered with the same To tag")
    void statelessChallengeKeepsNothingAndARetransmissionIsChallengedAgain() {
        ServerTransaction tx = receive("UDP", Harness.UDP);
        assertThat(tx.respondStatelessly(tx.request().createResponse(407, tx.localTag()))).isTrue();
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).as("no Timer J entry, no live transaction").isTrue();
        assertThat(tx.respond(tx.request().createResponse(200, tx.localTag()))).isFalse();

        h.receive(tx.request(), Harness.UDP);
        assertThat(h.user.requests).as("the retransmission reached the TU as a new request").hasSize(2);
        ServerTransaction again = h.user.last();
        assertThat(again).isNotSameAs(tx);
        assertThat(again.localTag()).as("§8.2.7: the same tag for the same request").isEqualTo(tx.localTag());
        again.respondStatelessly(again.request().createResponse(407, again.localTag()));
        assertThat(h.transport.statuses()).containsExactly(407, 407);
        assertThat(h.transport.responses().get(1).to().tag()).contains(tx.localTag());
        assertThat(h.empty()).isTrue();
    }

    @Test
    @DisplayName("§19.3: To tags of distinct requests differ, and are 64 bits in hex")
    void tagsOfDistinctRequestsDiffer() {
        ServerTransaction first = receive("UDP", Harness.UDP);
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKmsg2", null, 4), Harness.UDP);
        ServerTransaction second = h.user.last();
        assertThat(first.localTag()).matches("[0-9a-f]{16}").isNotEqualTo(second.localTag());
    }

    @Test
    @DisplayName("§8.2.7: a stateless UAS sends no provisional response")
    void statelessProvisionalIsRefused() {
        ServerTransaction tx = receive("UDP", Harness.UDP);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> tx.respondStatelessly(tx.request().createResponse(100, null)));
        assertThat(h.transport.sent).isEmpty();
    }

    @Test
    @DisplayName("§8.2.7 over TCP: the same as a stateful final, terminated at once")
    void statelessOverTcp() {
        ServerTransaction tx = receive("TCP", Harness.TCP);
        tx.respondStatelessly(tx.request().createResponse(401, tx.localTag()));
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.transport.statuses()).containsExactly(401);
        assertThat(h.empty()).isTrue();
    }
}
