package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

@DisplayName("RFC 3261 §17.2.1 and RFC 6026 §7.1: INVITE server transaction, timers G, H, I, L")
class ServerInviteTest {
    static final String VIA_UDP = "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKinv1";
    static final String VIA_TCP = "SIP/2.0/TCP 198.51.100.7:5060;branch=z9hG4bKinv1";

    final Harness h = new Harness();

    ServerTransaction receiveInvite(String via, Flow flow) {
        h.receive(Harness.incoming("INVITE", via, null, 1), flow);
        return h.user.last();
    }

    SipResponse reply(ServerTransaction tx, int status) {
        SipResponse r = tx.request().createResponse(status, tx.localTag());
        assertThat(tx.respond(r)).isTrue();
        return r;
    }

    SipRequest ackFor(ServerTransaction tx, String via) {
        return Harness.incoming("ACK", via, tx.localTag(), 1);
    }

    @Test
    void sends100TryingAtOnceAndPassesTheInviteUpOnce() {
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(100);
        assertThat(h.transport.responses().get(0).to().tag()).isEmpty();
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);

        h.receive(tx.request(), Harness.UDP);
        assertThat(h.user.requests).hasSize(1);
        assertThat(h.transport.statuses()).containsExactly(100, 100);
    }

    @Test
    void noLate100WhenTheTuAnsweredAtOnce() {
        h.user.onRequestDo = tx -> tx.respond(tx.request().createResponse(180, tx.localTag()));
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(180, 180);
    }

    @Test
    void retransmittedInviteGetsTheLastProvisionalAgain() {
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        SipResponse ringing = reply(tx, 180);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.responses()).containsExactly(h.transport.responses().get(0), ringing, ringing);
    }

    @Test
    void timerGRetransmitsTheFinalCappedAtT2AndTimerHTellsTheTu() {
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        reply(tx, 486);
        h.advance(31.99);
        assertThat(h.transport.times("SIP/2.0 486"))
                .containsExactly(0.0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5);
        assertThat(h.user.timeouts).isEmpty();
        h.advance(0.01);
        assertThat(h.user.timeouts).containsExactly(tx);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.timeouts("H")).isEqualTo(1);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void noTimerGOnTcpButTimerHStill() {
        ServerTransaction tx = receiveInvite(VIA_TCP, Harness.TCP);
        reply(tx, 500);
        h.advance(31.99);
        assertThat(h.transport.times("SIP/2.0 500")).containsExactly(0.0);
        h.advance(0.01);
        assertThat(h.user.timeouts).containsExactly(tx);
    }

    @Test
    void retransmittedInviteInCompletedGetsTheFinalAgain() {
        ServerTransaction tx = receiveInvite(VIA_TCP, Harness.TCP);
        reply(tx, 486);
        h.receive(tx.request(), Harness.TCP);
        assertThat(h.transport.statuses()).containsExactly(100, 486, 486);
    }

    @Test
    void ackForNonSuccessFinalIsAbsorbedAndTimerIIsT4OnUdp() {
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        reply(tx, 486);
        h.advance(0.2);
        h.receive(ackFor(tx, VIA_UDP), Harness.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        h.receive(ackFor(tx, VIA_UDP), Harness.UDP);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.user.acks).isEmpty();

        h.advance(4.99);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        h.advance(0.01);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.transport.statuses()).containsExactly(100, 486); // G stopped by the ACK
        assertThat(h.user.timeouts).isEmpty();
        assertThat(h.empty()).isTrue();
    }

    @Test
    void timerIIsZeroOnTcp() {
        ServerTransaction tx = receiveInvite(VIA_TCP, Harness.TCP);
        reply(tx, 404);
        h.receive(ackFor(tx, VIA_TCP), Harness.TCP);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void after2xxTimerLAbsorbsRetransmissionsAndTheAckGoesToTheTu() {
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        reply(tx, 200);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);

        h.receive(tx.request(), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(100, 200);
        assertThat(h.user.requests).hasSize(1);

        SipRequest ack = Harness.incoming("ACK", "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKack2", tx.localTag(), 1);
        h.receive(ack, Harness.UDP);
        assertThat(h.user.acks).containsExactly(ack);

        // the UAS core retransmits its 2xx, a forking proxy forwards more of them: both go out
        reply(tx, 200);
        assertThat(tx.respond(tx.request().createResponse(486, tx.localTag()))).isFalse();

        h.advance(31.99);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        h.advance(0.01);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.transport.statuses()).containsExactly(100, 200, 200);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void onlyOneFinalResponse() {
        ServerTransaction tx = receiveInvite(VIA_TCP, Harness.TCP);
        reply(tx, 486);
        assertThat(tx.respond(tx.request().createResponse(200, tx.localTag()))).isFalse();
        assertThat(tx.respond(tx.request().createResponse(180, tx.localTag()))).isFalse();
        assertThat(h.transport.statuses()).containsExactly(100, 486);
    }

    @Test
    @DisplayName("§8.2.7 and §17.2.1: an INVITE's challenge sent 'statelessly' is kept all the same, Timer G repeats it and a retransmitted INVITE stays with it")
    void statelessChallengeToAnInviteIsKept() {
        ServerTransaction tx = receiveInvite(VIA_UDP, Harness.UDP);
        assertThat(tx.respondStatelessly(tx.request().createResponse(407, tx.localTag()))).isTrue();
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(0.5);
        assertThat(h.transport.statuses()).containsExactly(100, 407, 407);
        h.receive(tx.request(), Harness.UDP);
        assertThat(h.user.requests).as("a retransmission stays with the transaction").hasSize(1);
    }
}
