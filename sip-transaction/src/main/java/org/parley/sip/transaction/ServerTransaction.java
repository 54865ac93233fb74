package org.parley.sip.transaction;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

/**
 * A request received and the responses sent to it (RFC 3261 §17.2). Thread-safe: the TU may
 * respond from any thread.
 */
public abstract sealed class ServerTransaction extends Transaction
        permits InviteServerTransaction, NonInviteServerTransaction {
    private final SipRequest request;
    private final Flow flow;
    private final String localTag;
    final TransactionUser user;
    /** Guarded by this: what a retransmitted request gets again. */
    SipResponse lastResponse;

    /** @param newTag the To tag for a request that has none */
    ServerTransaction(Context ctx, SipRequest request, Flow flow, TransactionUser user, TransactionState initial,
                      Runnable onTerminated, Supplier<String> newTag) {
        super(ctx, initial, onTerminated);
        this.request = request;
        this.flow = flow;
        this.user = user;
        this.localTag = request.to().tag().orElseGet(newTag);
    }

    public SipRequest request() {
        return request;
    }

    /** The flow the request came in on; responses go back over it (§18.2.2). */
    public Flow flow() {
        return flow;
    }

    /**
     * The To tag for responses that create a dialog or need a tag: unpredictable and stable for this
     * transaction, or the request's own To tag when it had one (a request inside a dialog).
     * {@link SipRequest#createResponse(int, String)} adds it only where the request had none.
     */
    public String localTag() {
        return localTag;
    }

    public TransactionState state() {
        return currentState();
    }

    /**
     * Sends a response: any number of provisional ones, then one final. Returns false, sending
     * nothing, when a final response has already been sent, so that a TU racing a 487 against
     * a 200 needs no lock of its own. Exception (RFC 6026 §7.1): after a 2xx to an INVITE further
     * 2xx are always sent, as a UAS core retransmits its 2xx and a forking proxy forwards every 2xx.
     */
    public boolean respond(SipResponse response) {
        Objects.requireNonNull(response, "response");
        if (response.status() < 100 || response.status() > 699) {
            throw new IllegalArgumentException("not a response status: " + response.status());
        }
        return lockedCompute(fx -> accept(response, fx));
    }

    /**
     * Sends a final response as a stateless UAS would (RFC 3261 §8.2.7): once, keeping nothing of
     * it after it has left, so that a retransmitted request is a new request and is answered anew.
     * The RFC has this role for challenges to unauthenticated requests: kept for Timer J, a flood of
     * them would fill the server with transaction state (§26.1.5), and a challenge costs nothing to
     * repeat. The To tag is already what §8.2.7 asks of a stateless UAS, the same for the same
     * request ({@link #localTag}). An INVITE's transaction keeps its response all the same, as
     * {@link #respond} does: its ACK must be absorbed and over UDP the response repeated (§17.2.1).
     * Returns false, sending nothing, when a final response has already been sent.
     */
    public boolean respondStatelessly(SipResponse response) {
        Objects.requireNonNull(response, "response");
        if (!response.isFinal() || response.status() > 699) {
            throw new IllegalArgumentException("a stateless UAS sends final responses only (§8.2.7): " + response.status());
        }
        return lockedCompute(fx -> acceptStateless(response, fx));
    }

    /** The state machine's part of {@link #respond}, under the lock. */
    abstract boolean accept(SipResponse response, Effects fx);

    /** The state machine's part of {@link #respondStatelessly}, under the lock. */
    boolean acceptStateless(SipResponse response, Effects fx) {
        return accept(response, fx);
    }

    /** The state machine's reaction to a retransmitted request, under the lock. */
    abstract void retransmitted(Effects fx);

    final void onRetransmission() {
        locked(this::retransmitted);
    }

    /** Records the response as the one to repeat and sends it. */
    final void transmit(SipResponse response, Effects fx) {
        lastResponse = response;
        send(response, fx);
    }

    final void resendLast(Effects fx) {
        if (lastResponse != null) {
            send(lastResponse, fx);
        }
    }

    final boolean reliable() {
        return flow.transport().reliable();
    }

    final void send(SipResponse response, Effects fx) {
        fx.add(() -> {
            // encoded here, once, when the transaction keeps the octets: the transport sends these
            byte[] wire = keepsOctets(response) ? response.encode() : null;
            CompletableFuture<Flow> sending = wire != null ? ctx.transport().sendResponse(response, wire, flow)
                    : ctx.transport().sendResponse(response, flow);
            // A datagram has left (or failed) by the time sendResponse returns: its outcome is
            // taken at once, without a dependent future and a callback per response (issue 13).
            switch (sending.state()) {
                case SUCCESS -> sent(response, wire, sending.resultNow());
                case FAILED -> transportFailed(sending.exceptionNow());
                default -> sending.whenComplete((sentOn, error) -> {
                    if (error != null) {
                        transportFailed(error);
                    } else {
                        sent(response, wire, sentOn);
                    }
                });
            }
        });
    }

    /** Whether {@link #sent} wants {@code response}'s octets; none by default. */
    boolean keepsOctets(SipResponse response) {
        return false;
    }

    /**
     * A response left on {@code sentOn}; called outside the lock. {@code wire} is the octets sent
     * when {@link #keepsOctets} asked for them, else null.
     */
    void sent(SipResponse response, byte[] wire, Flow sentOn) {
    }

    private void transportFailed(Throwable error) {
        locked(fx -> {
            if (state != TransactionState.TERMINATED) {
                terminate(fx);
                callback(fx, () -> user.onServerTransportError(this, error));
            }
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + request.method() + " " + request.callId() + " " + currentState() + "]";
    }
}
