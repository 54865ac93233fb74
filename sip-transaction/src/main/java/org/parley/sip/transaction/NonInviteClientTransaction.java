package org.parley.sip.transaction;

import java.time.Duration;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/** RFC 3261 §17.1.2: Trying, Proceeding, Completed; timers E, F, K. */
final class NonInviteClientTransaction extends ClientTransaction {
    /** Guarded by this. */
    private Duration intervalE;

    NonInviteClientTransaction(Context ctx, SipRequest request, Target target, ClientListener listener,
                               Runnable onTerminated) {
        super(ctx, request, target, listener, TransactionState.TRYING, onTerminated);
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
        } else {
            state = TransactionState.COMPLETED;
            stopTimer("E");
            stopTimer("F");
            terminateAfter("K", reliable() ? Duration.ZERO : ctx.timers().t4(), fx);
        }
    }

    /** T1 doubling up to T2 while Trying; T2 once Proceeding (§17.1.2.2). */
    private void timerE(Effects fx) {
        transmit(request(), fx);
        Duration t2 = ctx.timers().t2();
        Duration doubled = intervalE.multipliedBy(2);
        intervalE = state == TransactionState.PROCEEDING || doubled.compareTo(t2) > 0 ? t2 : doubled;
        startTimer("E", intervalE, this::timerE);
    }
}
