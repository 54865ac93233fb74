package org.parley.sip.transaction;

import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §17.2.2: Trying, Proceeding, Completed; timer J. RFC 3261 gives the server side no
 * timer before the final response, so a TU that never answers would leave the transaction in the
 * table for ever and the client without an answer: the layer's {@link Watchdog} answers 500 at
 * the {@link TimerSettings#answerDeadline}.
 */
final class NonInviteServerTransaction extends ServerTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(NonInviteServerTransaction.class);

    /**
     * Hands the final response's octets and the flow they left on over to Timer J's log, in this
     * transaction's place in the layer's table; returns Timer J's deadline.
     */
    private final ToLongBiFunction<byte[], Flow> onCompleted;
    /** Guarded by this: the final response's octets, once they have left over UDP, and their flow. */
    private byte[] answer;
    private Flow answerFlow;
    /** When Timer J fires (epoch ms, the layer's clock), once handed over. */
    private volatile long timerJ = Long.MAX_VALUE;
    /** Guarded by this: the final response was sent statelessly, and nothing of it is kept. */
    private boolean stateless;

    /** When the watchdog answers if the TU has not (epoch milliseconds, the layer's clock). */
    final long deadline;

    NonInviteServerTransaction(Context ctx, SipRequest request, Flow flow, TransactionUser user, Runnable onTerminated,
                               ToLongBiFunction<byte[], Flow> onCompleted, Supplier<String> newTag) {
        super(ctx, request, flow, user, TransactionState.TRYING, onTerminated, newTag);
        this.onCompleted = onCompleted;
        this.deadline = ctx.scheduler().millis() + ctx.timers().answerDeadline().toMillis();
    }

    /**
     * The watchdog's look at this transaction ({@link Watchdog}): answers 500 when the deadline
     * has passed without a final response. Returns the deadline while the transaction still
     * waits for one, else {@link Long#MAX_VALUE}.
     */
    long watchdog(long now) {
        return lockedCompute(fx -> {
            if (!awaitingFinal()) {
                return Long.MAX_VALUE;
            }
            if (deadline > now) {
                return deadline;
            }
            LOG.warn("no final response to {} (Call-ID {}) after {}: answering 500", request().method(),
                    request().callId(), ctx.timers().answerDeadline());
            ctx.metrics().timedOut("server", "watchdog");
            accept(request().createResponse(500, "Server Internal Error (no answer in time)", localTag()), fx);
            return Long.MAX_VALUE;
        });
    }

    /** Whether the final response is still to come; under the lock. */
    private boolean awaitingFinal() {
        return state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
    }

    /** Whether the final response is still to come. */
    synchronized boolean waiting() {
        return awaitingFinal();
    }

    @Override
    boolean accept(SipResponse response, Effects fx) {
        if (!awaitingFinal()) {
            return false;
        }
        transmit(response, fx);
        if (response.isProvisional()) {
            state = TransactionState.PROCEEDING;
        } else {
            state = TransactionState.COMPLETED;
            if (reliable()) {
                terminate(fx); // Timer J is zero: no retransmission to absorb
            }
            // over UDP Timer J starts in the layer's log once the response has left (sent)
        }
        return true;
    }

    /** Sent like any final response, then terminated at once: no Timer J, nothing for its log (§8.2.7). */
    @Override
    boolean acceptStateless(SipResponse response, Effects fx) {
        if (!awaitingFinal()) {
            return false;
        }
        stateless = true;
        state = TransactionState.COMPLETED;
        // out of the layer's table before the response leaves (effects run in order): the client's
        // retransmission, sent once it has the response, is then always a new request
        terminate(fx);
        transmit(response, fx);
        return true;
    }

    /**
     * The final response has left over UDP: what Completed needs from here on is its wire form and
     * its flow, which take this transaction's place in the layer's Timer J log; Timer J runs there.
     */
    @Override
    boolean keepsOctets(SipResponse response) {
        return response.isFinal() && !reliable() && !stateless;
    }

    @Override
    void sent(SipResponse response, byte[] wire, Flow sentOn) {
        if (wire == null) {
            return;
        }
        locked(fx -> {
            if (state == TransactionState.COMPLETED && answer == null) {
                answer = wire;
                answerFlow = sentOn;
                lastResponse = null;
                fx.add(() -> timerJ = onCompleted.applyAsLong(wire, sentOn));
            }
        });
    }

    @Override
    void retransmitted(Effects fx) {
        // In Trying there is nothing to repeat yet: the retransmission is absorbed.
        if (answer != null) {
            // a retransmission that found this transaction just before the hand-over
            byte[] wire = answer;
            Flow sentOn = answerFlow;
            fx.add(() -> ctx.transport().resend(wire, sentOn));
        } else {
            resendLast(fx);
        }
    }

    /** Completed until Timer J fires in the log it was handed over to (§17.2.2). */
    @Override
    public TransactionState state() {
        return ctx.scheduler().millis() >= timerJ ? TransactionState.TERMINATED : currentState();
    }
}
