package org.parley.sip.transaction;

import java.time.Duration;
import java.util.function.BiConsumer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * RFC 3261 §17.1.1 with RFC 6026 §7.2: Calling, Proceeding, Completed, Accepted; timers A, B, D, M.
 * Also the client side of CANCEL (§9.1).
 */
final class InviteClientTransaction extends ClientTransaction {
    private final BiConsumer<SipRequest, Target> cancelSender;
    /** Guarded by this. */
    private Duration intervalA;
    private SipRequest ack;
    private boolean cancelRequested;
    private boolean cancelSent;

    InviteClientTransaction(Context ctx, SipRequest request, Target target, ClientListener listener,
                            BiConsumer<SipRequest, Target> cancelSender, Runnable onTerminated) {
        super(ctx, request, target, listener, TransactionState.CALLING, onTerminated);
        this.cancelSender = cancelSender;
    }

    @Override
    void start(Effects fx) {
        transmit(request(), fx);
        if (!reliable()) {
            intervalA = ctx.timers().t1();
            startTimer("A", intervalA, this::timerA);
        }
        startTimer("B", ctx.timeout(), f -> timedOut("B", f));
    }

    @Override
    void received(SipResponse response, Effects fx) {
        switch (state) {
            case CALLING, PROCEEDING -> {
                stopTimer("A");
                stopTimer("B");
                if (response.isProvisional()) {
                    state = TransactionState.PROCEEDING;
                    passUp(response, fx);
                    if (cancelRequested) {
                        sendCancel(fx);
                    }
                } else if (response.isSuccess()) {
                    state = TransactionState.ACCEPTED;
                    stopTimer("cancel");
                    passUp(response, fx);
                    startTimer("M", ctx.timeout(), this::terminate);
                } else {
                    state = TransactionState.COMPLETED;
                    stopTimer("cancel");
                    ack = DerivedRequests.ack(request(), response);
                    transmit(ack, fx);
                    passUp(response, fx);
                    terminateAfter("D", ctx.timers().timerD(reliable()), fx);
                }
            }
            case ACCEPTED -> {
                if (response.isSuccess()) {
                    passUp(response, fx); // retransmitted or forked 2xx: the TU ACKs each
                }
            }
            case COMPLETED -> {
                if (response.isFinal()) {
                    transmit(ack, fx); // the ACK got lost; the TU has had this final already
                }
            }
            default -> {
                // terminated: a late response is dropped with the transaction
            }
        }
    }

    @Override
    public void cancel() {
        locked(fx -> {
            if (cancelRequested) {
                return;
            }
            cancelRequested = true;
            if (state == TransactionState.PROCEEDING) {
                sendCancel(fx);
            }
        });
    }

    private void sendCancel(Effects fx) {
        if (cancelSent) {
            return;
        }
        cancelSent = true;
        SipRequest cancel = DerivedRequests.cancel(request());
        Target to = currentTarget();
        fx.add(() -> cancelSender.accept(cancel, to));
        // §9.1: a UAS that ignores the CANCEL must not keep this transaction alive for ever.
        startTimer("cancel", ctx.timeout(), f -> timedOut("cancel", f));
    }

    private void timerA(Effects fx) {
        transmit(request(), fx);
        intervalA = intervalA.multipliedBy(2);
        startTimer("A", intervalA, this::timerA);
    }
}
