package org.parley.sip.transaction;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Via;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;

/** A request sent and the responses to it (RFC 3261 §17.1). Thread-safe. */
public abstract sealed class ClientTransaction extends Transaction
        permits InviteClientTransaction, NonInviteClientTransaction {

    /** Why a response was synthesized by the layer rather than received. */
    public enum Failure {
        /** Timer B or F, or no final response 64*T1 after a CANCEL: 408. */
        TIMEOUT,
        /** The transport could not send: 503 (§8.1.3.1). */
        TRANSPORT
    }

    private final SipRequest request;
    private final Target target;
    private final ClientListener listener;
    private volatile Flow flow;
    /** Guarded by this. */
    private Failure failure;

    ClientTransaction(Context ctx, SipRequest request, Target target, ClientListener listener,
                      TransactionState initial, Runnable onTerminated) {
        super(ctx, initial, onTerminated);
        this.request = request;
        this.target = target;
        this.listener = listener;
    }

    /** The request as sent, with the layer's Via on top. */
    public SipRequest request() {
        return request;
    }

    public Target target() {
        return target;
    }

    /** The flow the request went out on, once the transport has sent it. */
    public Optional<Flow> flow() {
        return Optional.ofNullable(flow);
    }

    public String branch() {
        return request.topVia().branch().orElseThrow();
    }

    public TransactionState state() {
        return currentState();
    }

    /** Set when the layer synthesized the final response the listener got. */
    public synchronized Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Cancels an INVITE (RFC 3261 §9.1): the CANCEL goes out once a provisional response has
     * arrived, at once if one already has, never if a final response came first. Only the first
     * call counts. Does nothing for other methods, which cannot be cancelled (§9.1).
     */
    public void cancel() {
    }

    /** Sends the request and starts the timers, under the lock. */
    abstract void start(Effects fx);

    /** The state machine's reaction to a response, under the lock. */
    abstract void received(SipResponse response, Effects fx);

    final void onResponse(SipResponse response) {
        if (this instanceof NonInviteClientTransaction && Thread.currentThread().isVirtual()) {
            // the transport gave this response a virtual thread of its own: the listener runs on it
            lockedHere(fx -> received(response, fx));
            return;
        }
        locked(fx -> received(response, fx));
    }

    /** True when the response's top Via is the one this transaction put there (§17.1.3). */
    final boolean isOurs(Via top) {
        Via ours = request.topVia();
        return top.host().equalsIgnoreCase(ours.host()) && top.port() == ours.port();
    }

    final boolean reliable() {
        return target.transport().reliable();
    }

    final Target currentTarget() {
        Flow f = flow;
        return f != null ? Target.of(f) : target;
    }

    /** Sends over the flow the request took, so that retransmissions, ACK and CANCEL follow it. */
    final void transmit(SipRequest message, Effects fx) {
        fx.add(() -> {
            CompletableFuture<Flow> sending = sendNow(message);
            // a datagram's outcome is known when send returns: taken at once, no dependent future (issue 13)
            switch (sending.state()) {
                case SUCCESS -> sent(sending.resultNow());
                case FAILED -> transportFailed();
                default -> sending.whenComplete((sentOn, error) -> {
                    if (error != null) {
                        transportFailed();
                    } else {
                        sent(sentOn);
                    }
                });
            }
        });
    }

    private void sent(Flow sentOn) {
        if (flow == null) {
            flow = sentOn;
        }
    }

    private CompletableFuture<Flow> sendNow(SipRequest message) {
        SipTransport transport = ctx.transport();
        try {
            return switch (currentTarget()) {
                case Target.OverFlow o -> transport.send(message, o.flow());
                case Target.ToAddress a -> transport.send(message, a.transport(), a.address());
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void transportFailed() {
        locked(fx -> {
            if (awaitingFinal()) {
                fail(Failure.TRANSPORT, 503, fx);
            }
        });
    }

    final boolean awaitingFinal() {
        return state == TransactionState.CALLING || state == TransactionState.TRYING
                || state == TransactionState.PROCEEDING;
    }

    /** A timer ran out before a final response: 408 (§17.1.1.2, §17.1.2.2). */
    final void timedOut(String timer, Effects fx) {
        ctx.metrics().timedOut("client", timer);
        fail(Failure.TIMEOUT, 408, fx);
    }

    /** Ends the transaction with a response of our own making, as §8.1.3.1 and §17.1 ask. */
    private void fail(Failure reason, int status, Effects fx) {
        failure = reason;
        passUp(request.createResponse(status, null), fx);
        terminate(fx);
    }

    final void passUp(SipResponse response, Effects fx) {
        callback(fx, () -> listener.onResponse(this, response));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + request.method() + " " + branch() + " " + currentState() + "]";
    }
}
