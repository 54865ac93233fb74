package org.parley.sip.transaction;

import java.time.Duration;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

/** RFC 3261 §17.2.2: Trying, Proceeding, Completed; timer J. */
final class NonInviteServerTransaction extends ServerTransaction {

    NonInviteServerTransaction(Context ctx, SipRequest request, Flow flow, TransactionUser user, Runnable onTerminated) {
        super(ctx, request, flow, user, TransactionState.TRYING, onTerminated);
    }

    @Override
    boolean accept(SipResponse response, Effects fx) {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return false;
        }
        transmit(response, fx);
        if (response.isProvisional()) {
            state = TransactionState.PROCEEDING;
        } else {
            state = TransactionState.COMPLETED;
            terminateAfter("J", reliable() ? Duration.ZERO : ctx.timers().transactionTimeout(), fx);
        }
        return true;
    }

    @Override
    void retransmitted(Effects fx) {
        // In Trying there is nothing to repeat yet: the retransmission is absorbed.
        resendLast(fx);
    }
}
