package org.parley.sip.transaction;

import java.time.Duration;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

/** RFC 3261 §17.2.1 with RFC 6026 §7.1: Proceeding, Completed, Confirmed, Accepted; timers G, H, I, L. */
final class InviteServerTransaction extends ServerTransaction {
    /** Guarded by this. */
    private Duration intervalG;

    InviteServerTransaction(Context ctx, SipRequest request, Flow flow, TransactionUser user, Runnable onTerminated) {
        super(ctx, request, flow, user, TransactionState.PROCEEDING, onTerminated, Ids::tag);
    }

    /**
     * §17.2.1: 100 Trying at once, so the client stops retransmitting while the TU works; unless
     * the TU (on a direct executor) already answered, when a late 100 would replace its response
     * as the one repeated to retransmissions.
     */
    void start() {
        locked(fx -> {
            if (lastResponse == null) {
                accept(request().createResponse(100, null), fx);
            }
        });
    }

    @Override
    boolean accept(SipResponse response, Effects fx) {
        if (response.isSuccess() && lastResponse != null && lastResponse.isSuccess()) {
            send(response, fx); // in Accepted or after it: never refused (RFC 6026 §7.1, §8.4)
            return true;
        }
        if (state != TransactionState.PROCEEDING) {
            return false;
        }
        transmit(response, fx);
        TimerSettings t = ctx.timers();
        if (response.isSuccess()) {
            state = TransactionState.ACCEPTED;
            startTimer("L", ctx.timeout(), this::terminate);
        } else if (response.isFinal()) {
            state = TransactionState.COMPLETED;
            if (!reliable()) {
                intervalG = t.t1();
                startTimer("G", intervalG, this::timerG);
            }
            startTimer("H", ctx.timeout(), this::timerH);
        }
        return true;
    }

    @Override
    void retransmitted(Effects fx) {
        // Accepted and Confirmed absorb: the 2xx is the TU's to retransmit, the ACK already came.
        if (state == TransactionState.PROCEEDING || state == TransactionState.COMPLETED) {
            resendLast(fx);
        }
    }

    void onAck(SipRequest ack, Flow ackFlow) {
        locked(fx -> {
            switch (state) {
                case COMPLETED -> {
                    state = TransactionState.CONFIRMED;
                    stopTimer("G");
                    stopTimer("H");
                    terminateAfter("I", reliable() ? Duration.ZERO : ctx.timers().t4(), fx);
                }
                // RFC 6026 §7.1: an ACK for the 2xx is end-to-end even when it matches.
                case ACCEPTED -> callback(fx, () -> user.onAck(ack, ackFlow));
                default -> {
                    // absorbed: Confirmed already has its ACK; an ACK before any final is bogus
                }
            }
        });
    }

    private void timerG(Effects fx) {
        resendLast(fx);
        Duration doubled = intervalG.multipliedBy(2);
        intervalG = doubled.compareTo(ctx.timers().t2()) < 0 ? doubled : ctx.timers().t2();
        startTimer("G", intervalG, this::timerG);
    }

    private void timerH(Effects fx) {
        terminate(fx);
        ctx.metrics().timedOut("server", "H");
        callback(fx, () -> user.onServerTimeout(this));
    }
}
