package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §9.1 and §9.2: CANCEL on both sides")
class CancelTest {
    static final String VIA = "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKinv9";

    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    @Test
    void serverAnswersCancel200AndTellsTheTuWhichThenAnswersTheInvite487() {
        h.receive(Harness.incoming("INVITE", VIA, null, 1), Harness.UDP);
        ServerTransaction invite = h.user.last();
        h.receive(Harness.incoming("CANCEL", VIA, null, 1), Harness.UDP);

        SipResponse ok = h.transport.responses().get(1);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.cseq().method()).isEqualTo("CANCEL");
        assertThat(ok.to().tag()).contains(invite.localTag());
        assertThat(h.user.cancels).hasSize(1);
        assertThat(h.user.cancels.get(0).invite()).containsSame(invite);
        assertThat(h.user.requests).containsExactly(invite);

        assertThat(invite.respond(invite.request().createResponse(487, invite.localTag()))).isTrue();
        h.receive(Harness.incoming("ACK", VIA, invite.localTag(), 1), Harness.UDP);
        assertThat(h.user.acks).isEmpty();

        h.receive(Harness.incoming("CANCEL", VIA, null, 1), Harness.UDP); // retransmitted CANCEL
        assertThat(h.transport.statuses()).containsExactly(100, 200, 487, 200);
        assertThat(h.user.cancels).hasSize(1);
    }

    @Test
    void serverAnswersCancelWithoutInvite481() {
        h.receive(Harness.incoming("CANCEL", VIA, null, 1), Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(481);
        assertThat(h.user.cancels).singleElement().extracting(RecordingUser.Cancel::invite).isEqualTo(Optional.empty());
        assertThat(h.user.requests).isEmpty();
    }

    ClientTransaction invite() {
        return h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(Transport.UDP, Harness.PEER), listener);
    }

    @Test
    void clientCancelBeforeAnyProvisionalWaitsForOne() {
        ClientTransaction tx = invite();
        tx.cancel();
        assertThat(h.transport.requests("CANCEL")).isEmpty();

        h.receive(Harness.answer(tx, 180), Harness.UDP);
        SipRequest cancel = h.transport.requests("CANCEL").get(0);
        assertThat(cancel.requestUri()).isEqualTo(tx.request().requestUri());
        assertThat(cancel.vias()).containsExactly(tx.request().topVia());
        assertThat(cancel.cseq().toString()).isEqualTo("7 CANCEL");
        assertThat(cancel.to()).isEqualTo(tx.request().to());
        assertThat(cancel.from()).isEqualTo(tx.request().from());
        assertThat(cancel.callId()).isEqualTo(tx.request().callId());
        assertThat(cancel.headers().lines("Route")).containsExactly("<sip:edge.example.net;lr>");
        assertThat(h.transport.last().flow()).isEqualTo(tx.flow().orElseThrow());

        // The CANCEL's own 200 ends its own transaction; the INVITE ends with the 487.
        h.receive(cancel.createResponse(200, "callee-tag"), Harness.UDP);
        h.receive(Harness.answer(tx, 487), Harness.UDP);
        assertThat(h.user.strays).isEmpty();
        assertThat(listener.statuses()).containsExactly(180, 487);
        assertThat(h.transport.requests("ACK")).hasSize(1);
        h.advance(60);
        assertThat(h.empty()).isTrue();
    }

    @Test
    void clientCancelAfterProvisionalGoesAtOnceAndOnlyOnce() {
        ClientTransaction tx = invite();
        h.receive(Harness.answer(tx, 183), Harness.UDP);
        tx.cancel();
        tx.cancel();
        h.receive(Harness.answer(tx, 180), Harness.UDP);
        assertThat(h.transport.requests("CANCEL")).hasSize(1);
    }

    @Test
    void clientCancelAfterFinalSendsNothing() {
        ClientTransaction tx = invite();
        tx.cancel();
        h.receive(Harness.answer(tx, 200), Harness.UDP);
        tx.cancel();
        assertThat(h.transport.requests("CANCEL")).isEmpty();
    }

    @Test
    void inviteIgnoredAfterCancelEndsWith408After64T1() {
        ClientTransaction tx = invite();
        h.receive(Harness.answer(tx, 180), Harness.UDP);
        tx.cancel();
        h.advance(31.99);
        assertThat(listener.statuses()).containsExactly(180);
        h.advance(0.01);
        assertThat(listener.statuses()).containsExactly(180, 408);
        assertThat(tx.failure()).contains(ClientTransaction.Failure.TIMEOUT);
        h.advance(60);
        assertThat(h.empty()).isTrue();
    }
}
