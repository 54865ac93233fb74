package org.parley.sip.transaction;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * RFC 3261 §17.1.2: Trying, Proceeding, Completed; timers E, F, K. Over UDP, Completed hands its
 * key to the layer, whose Timer K {@link CompletedLog} absorbs retransmitted finals in this
 * transaction's place, so that neither the request, its target nor the listener (the proxy's whole
 * forwarding state, the server transaction and the request it relays) stays reachable for T4.
 */
final class NonInviteClientTransaction extends ClientTransaction {
    /** Hands this transaction over to Timer K's log in its place in the layer's table; returns Timer K's deadline. */
    private final LongSupplier onCompleted;
    /** Guarded by this. */
    private Duration intervalE;
    /** When Timer K fires (epoch ms, the layer's clock), once handed over. */
    private volatile long timerK = Long.MAX_VALUE;

    NonInviteClientTransaction(Context ctx, SipRequest request, Target target, ClientListener listener,
                               Runnable onTerminated, LongSupplier onCompleted) {
        super(ctx, request, target, listener, TransactionState.TRYING, onTerminated);
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
        // what absorbing needs takes this transaction's place: Timer K runs there
        fx.add(() -> timerK = onCompleted.getAsLong());
    }

    /** T1 doubling up to T2 while Trying; T2 once Proceeding (§17.1.2.2). */
    private void timerE(Effects fx) {
        transmit(request(), fx);
        Duration t2 = ctx.timers().t2();
        Duration doubled = intervalE.multipliedBy(2);
        intervalE = state == TransactionState.PROCEEDING || doubled.compareTo(t2) > 0 ? t2 : doubled;
        startTimer("E", intervalE, this::timerE);
    }

    /** Completed until Timer K fires in the log it was handed over to (§17.1.2.2). */
    @Override
    public TransactionState state() {
        return ctx.scheduler().millis() >= timerK ? TransactionState.TERMINATED : currentState();
    }
}
