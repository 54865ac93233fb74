package org.parley.sip.transaction;

import java.time.Duration;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17.2.2: Trying, Proceeding, Completed; timer J. RFC 3261 gives the server side no
 * timer before the final response, so a TU that never answers would leave the transaction in the
 * table for ever and the client without an answer: the watchdog answers 500 at the
 * {@link TimerSettings#answerDeadline}.
 */
final class NonInviteServerTransaction extends ServerTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(NonInviteServerTransaction.class);

    NonInviteServerTransaction(Context ctx, SipRequest request, Flow flow, TransactionUser user, Runnable onTerminated) {
        super(ctx, request, flow, user, TransactionState.TRYING, onTerminated);
    }

    /** Starts the watchdog; called once the transaction is in the layer's table. */
    void start() {
        locked(fx -> {
            if (state == TransactionState.TRYING || state == TransactionState.PROCEEDING) {
                startTimer("watchdog", ctx.timers().answerDeadline(), this::watchdog);
            }
        });
    }

    private void watchdog(Effects fx) {
        LOG.warn("no final response to {} (Call-ID {}) after {}: answering 500", request().method(),
                request().callId(), ctx.timers().answerDeadline());
        ctx.metrics().timedOut("server", "watchdog");
        accept(request().createResponse(500, "Server Internal Error (no answer in time)", localTag()), fx);
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
            stopTimer("watchdog");
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
