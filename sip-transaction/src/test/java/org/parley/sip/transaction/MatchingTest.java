package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Transport;

@DisplayName("RFC 3261 §17.1.3 and §17.2.3: matching, RFC 2543 fallback, stray responses")
class MatchingTest {
    final Harness h = new Harness();
    final RecordingListener listener = new RecordingListener();

    @Test
    void layerPutsItsOwnViaOnTop() {
        ClientTransaction tx = h.layer.sendRequest(Harness.outgoing("OPTIONS"), Target.of(Transport.UDP, Harness.PEER), listener);
        assertThat(tx.request().headers().first(HeaderNames.VIA).orElseThrow())
                .matches("SIP/2\\.0/UDP 192\\.0\\.2\\.1:5060;branch=z9hG4bK[0-9a-f]{24};rport");
        assertThat(h.transport.requests("OPTIONS")).containsExactly(tx.request());
    }

    @Test
    void responsesNotMatchingAClientTransactionAreStrays() {
        ClientTransaction tx = h.layer.sendRequest(Harness.outgoing("INVITE"), Target.of(Transport.UDP, Harness.PEER), listener);
        SipResponse ok = Harness.answer(tx, 180);

        SipResponse otherBranch = ok.withHeaders(ok.headers().set(HeaderNames.VIA, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnope"));
        SipResponse otherSentBy = ok.withHeaders(ok.headers().set(HeaderNames.VIA,
                "SIP/2.0/UDP 203.0.113.9:5060;branch=" + tx.branch()));
        SipResponse otherMethod = ok.withHeaders(ok.headers().set(HeaderNames.CSEQ, "7 BYE"));
        for (SipResponse r : new SipResponse[] {otherBranch, otherSentBy, otherMethod}) {
            h.receive(r, Harness.UDP);
        }
        assertThat(h.user.strays).containsExactly(otherBranch, otherSentBy, otherMethod);
        assertThat(listener.responses).isEmpty();

        h.receive(ok, Harness.UDP);
        assertThat(listener.responses).containsExactly(ok);
    }

    @Test
    void sameBranchFromAnotherSentByIsAnotherTransaction() {
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKsame", null, 1), Harness.UDP);
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP 198.51.100.8:5060;branch=z9hG4bKsame", null, 1), Harness.UDP);
        assertThat(h.user.requests).hasSize(2);
    }

    @Test
    @DisplayName("§17.2.3: sent-by compares its host without regard to case and an absent port as the default one")
    void sentByMatchesAcrossCaseAndDefaultPort() {
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP Client.Example.COM;branch=z9hG4bKcase", null, 1), Harness.UDP);
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP client.example.com:5060;branch=z9hG4bKcase", null, 1), Harness.UDP);
        assertThat(h.user.requests).as("the second is a retransmission").hasSize(1);

        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP client.example.com:5070;branch=z9hG4bKcase", null, 1), Harness.UDP);
        h.receive(Harness.incoming("MESSAGE", "SIP/2.0/UDP client.example.com:5060;branch=z9hG4bKCASE", null, 1), Harness.UDP);
        assertThat(h.user.requests).as("another port, a branch in other case: other transactions").hasSize(3);
    }

    @Test
    void ackFor2xxWithItsOwnBranchGoesToTheTu() {
        SipRequest ack = Harness.incoming("ACK", "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKnew", "t1", 1);
        h.receive(ack, Harness.UDP);
        assertThat(h.user.acks).containsExactly(ack);
    }

    @Test
    void rfc2543RequestsWithoutMagicCookieMatchByTheirFields() {
        String via = "SIP/2.0/UDP 198.51.100.7:5060;branch=old-style-1";
        SipRequest invite = Harness.incoming("INVITE", via, null, 1);
        h.receive(invite, Harness.UDP);
        ServerTransaction tx = h.user.last();
        h.receive(invite, Harness.UDP);
        assertThat(h.user.requests).hasSize(1);
        assertThat(h.transport.statuses()).containsExactly(100, 100);

        SipRequest otherCSeq = Harness.incoming("INVITE", via, null, 2);
        h.receive(otherCSeq, Harness.UDP);
        assertThat(h.user.requests).hasSize(2);

        h.receive(Harness.incoming("CANCEL", via, null, 1), Harness.UDP);
        assertThat(h.user.cancels.get(0).invite()).containsSame(tx);

        tx.respond(tx.request().createResponse(487, tx.localTag()));
        SipRequest strangerAck = Harness.incoming("ACK", via, "someone-else", 1);
        h.receive(strangerAck, Harness.UDP);
        assertThat(h.user.acks).containsExactly(strangerAck);
        h.receive(Harness.incoming("ACK", via, tx.localTag(), 1), Harness.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        assertThat(h.user.acks).containsExactly(strangerAck);
    }

    @Test
    void viaWithoutAnyBranchFallsBackToRfc2543() {
        SipRequest options = Harness.incoming("OPTIONS", "SIP/2.0/UDP 198.51.100.7", null, 5);
        h.receive(options, Harness.UDP);
        h.user.last().respond(options.createResponse(200, "x"));
        h.receive(options, Harness.UDP);
        assertThat(h.transport.statuses()).containsExactly(200, 200);
        assertThat(h.user.requests).hasSize(1);
    }
}
