package org.parley.sip.transaction;

import java.time.Duration;
import java.util.function.Consumer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * RFC 3261 §17.1.2: Trying, Proceeding, Completed; timers E, F, K. Over UDP, Completed hands an
 * {@link AnsweredRequest} to the layer, which keeps that in this transaction's place for Timer K.
 */
final class NonInviteClientTransaction extends ClientTransaction {
    /** This transaction's key in the layer's table, where its {@link AnsweredRequest} takes its place. */
    private final ClientKey key;
    /** Takes over what Timer K keeps of this transaction. */
    private final Consumer<AnsweredRequest> onCompleted;
    /** Guarded by this. */
    private Duration intervalE;
    /** Guarded by this: set once Completed over UDP. */
    private AnsweredRequest answered;

    NonInviteClientTransaction(Context ctx, SipRequest request, Target target, ClientListener listener,
                               Runnable onTerminated, ClientKey key, Consumer<AnsweredRequest> onCompleted) {
        super(ctx, request, target, listener, TransactionState.TRYING, onTerminated);
        this.key = key;
        this.onCompleted = onCompleted;
    }

    @Override
    void start(Effects fx) {
        transmit(request(), fx);
        if (!reliable()) {
            intervalE = ctx.timers().t1();
            startTimer("E", intervalE, this::timerE);
        }
        startTimer("F", ctx.timeout(), f -> timedOut("F", f));
    }

    @Override
    void received(SipResponse response, Effects fx) {
        if (!awaitingFinal()) {
            return; // Completed absorbs retransmitted finals
        }
        passUp(response, fx);
        if (response.isProvisional()) {
            state = TransactionState.PROCEEDING;
            return;
        }
        state = TransactionState.COMPLETED;
        stopTimer("E");
        stopTimer("F");
        if (reliable()) {
            terminate(fx); // Timer K is zero: no retransmission to absorb
            return;
        }
        // what absorbing needs takes this transaction's place: Timer K runs on it
        answered = new AnsweredRequest(key, request().topVia());
        AnsweredRequest handedOver = answered;
        fx.add(() -> onCompleted.accept(handedOver));
    }

    /** T1 doubling up to T2 while Trying; T2 once Proceeding (§17.1.2.2). */
    private void timerE(Effects fx) {
        transmit(request(), fx);
        Duration t2 = ctx.timers().t2();
        Duration doubled = intervalE.multipliedBy(2);
        intervalE = state == TransactionState.PROCEEDING || doubled.compareTo(t2) > 0 ? t2 : doubled;
        startTimer("E", intervalE, this::timerE);
    }

    /** Completed until the {@link AnsweredRequest} it handed over expires with Timer K (§17.1.2.2). */
    @Override
    public TransactionState state() {
        synchronized (this) {
            if (answered != null && answered.expired()) {
                return TransactionState.TERMINATED;
            }
        }
        return currentState();
    }
}
