package org.parley.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Transport;

/**
 * What a completed non-INVITE client transaction over UDP keeps for Timer K's T4 (RFC 3261
 * §17.1.2.2): only what absorbing a retransmitted final needs. The proxy's listener holds its
 * whole forwarding state, which must not stay reachable from the layer for those 5 s (issue 13).
 */
@DisplayName("RFC 3261 §17.1.2.2: a completed non-INVITE client transaction absorbs retransmitted finals for T4 and keeps neither request nor listener")
class TimerKMemoryTest {
    final Harness h = new Harness();

    /** A listener standing in for the proxy's forwarding state: it only records. */
    static final class Forwarding implements ClientListener {
        final CopyOnWriteArrayList<Integer> statuses = new CopyOnWriteArrayList<>();

        @Override
        public void onResponse(ClientTransaction tx, SipResponse response) {
            statuses.add(response.status());
        }
    }

    @Test
    @DisplayName("§17.1.2.2: in Completed the request and listener are collectable; a retransmitted 200 is absorbed, not a stray; after T4 it is one")
    void completedHoldsOnlyTheKey() {
        Forwarding listener = new Forwarding();
        ClientTransaction tx = h.layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(Transport.UDP, Harness.PEER),
                listener);
        SipResponse ok = Harness.answer(tx, 200);
        h.receive(ok, Harness.UDP);
        assertThat(listener.statuses).containsExactly(200);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);

        WeakReference<Forwarding> listenerRef = new WeakReference<>(listener);
        WeakReference<SipRequest> requestRef = new WeakReference<>(tx.request());
        WeakReference<ClientTransaction> txRef = new WeakReference<>(tx);
        listener = null;
        tx = null;
        h.transport.sent.clear(); // the fake transport records the request sent
        for (int i = 0; i < 10 && (listenerRef.get() != null || requestRef.get() != null); i++) {
            System.gc();
        }
        assertThat(txRef.get()).as("the transaction").isNull();
        assertThat(requestRef.get()).as("the request").isNull();
        assertThat(listenerRef.get()).as("the listener").isNull();

        h.advance(4.99);
        h.receive(ok, Harness.UDP);
        assertThat(h.user.strays).as("absorbed in Completed, not forwarded statelessly").isEmpty();
        assertThat(h.layer.clientTransactions()).isEqualTo(1);
        assertThat(h.gauge("client")).isEqualTo(1);

        h.advance(0.01);
        assertThat(h.empty()).isTrue();
        assertThat(h.scheduler.pending()).isZero();
        h.receive(ok, Harness.UDP);
        assertThat(h.user.strays).as("after Timer K a late final is a stray").containsExactly(ok);
    }

    @Test
    @DisplayName("§17.1.3: in Completed a final with our branch but another sent-by is not absorbed but a stray")
    void absorbsOnlyOurVia() {
        RecordingListener listener = new RecordingListener();
        ClientTransaction tx = h.layer.sendRequest(Harness.outgoing("OPTIONS"), Target.of(Transport.UDP, Harness.PEER),
                listener);
        SipResponse ok = Harness.answer(tx, 200);
        h.receive(ok, Harness.UDP);
        SipResponse otherSentBy = ok.withHeaders(ok.headers().set(org.parley.sip.message.HeaderNames.VIA,
                "SIP/2.0/UDP 203.0.113.9:5060;branch=" + tx.branch()));
        h.receive(otherSentBy, Harness.UDP);
        h.receive(ok, Harness.UDP);
        assertThat(h.user.strays).containsExactly(otherSentBy);
        assertThat(listener.statuses()).containsExactly(200);
    }

    @Test
    @DisplayName("§17.1.2.2: many transactions completed at different times each end exactly T4 later, on one timer")
    void manyCompletedOnOneTimer() {
        RecordingListener listener = new RecordingListener();
        ClientTransaction[] txs = new ClientTransaction[50];
        for (int i = 0; i < txs.length; i++) {
            txs[i] = h.layer.sendRequest(Harness.outgoing("MESSAGE"), Target.of(Transport.UDP, Harness.PEER), listener);
            h.receive(Harness.answer(txs[i], 202), Harness.UDP);
            h.advance(0.1);
        }
        assertThat(h.scheduler.pending()).as("one Timer K per log, however many completed").isEqualTo(CompletedLogs.STRIPES);
        // the first completed at 0 s, the last at 4.9 s; now 5.0 s
        assertThat(txs[0].state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(txs[1].state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(4.89);
        assertThat(txs[48].state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(txs[49].state()).isEqualTo(TransactionState.COMPLETED);
        h.advance(0.01);
        assertThat(txs[49].state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(h.empty()).isTrue();
    }
}
