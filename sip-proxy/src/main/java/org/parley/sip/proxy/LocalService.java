package org.parley.sip.proxy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ServerTransaction;

/**
 * A service that answers requests itself instead of having them proxied: registrar, messaging,
 * presence and XDM servers. The router asks each in turn.
 */
public interface LocalService {
    /** What a service that answered before returning from {@link #serve} returns. */
    CompletionStage<Void> ANSWERED = CompletableFuture.completedStage(null);
    /** What {@link #offer} returns for a request that is not this service's (compared by identity). */
    CompletionStage<Void> DECLINED = CompletableFuture.completedStage(null);

    boolean accepts(SipRequest request);

    /**
     * The router's one call per service: {@link #serve} when the service {@link #accepts} the
     * request ({@code request} is the transaction's after this server's own Route is removed),
     * else {@link #DECLINED}. A service whose decision finds what serving needs — the messaging
     * server resolves the recipient's account — overrides this to find it once per request.
     */
    default CompletionStage<Void> offer(ServerTransaction tx, SipRequest request) {
        return accepts(request) ? serve(tx) : DECLINED;
    }

    /** The SIP event packages (RFC 6665) this service is the notifier for, for Allow-Events. */
    default List<String> eventPackages() {
        return List.of();
    }

    /**
     * Serves the request: answers the transaction with a final response, now or later, and
     * completes the returned stage once it has. The router answers 500 (and logs the cause) for
     * a stage that completes exceptionally, or normally with the transaction still unanswered,
     * so a service bug never leaves a client without a final response.
     */
    CompletionStage<Void> serve(ServerTransaction tx);

    /**
     * Every device of the callee refused a dialog-creating INVITE the router forked, or none
     * answered in time, and {@code best} is about to go upstream: a service may take the
     * transaction over instead (true) and answer it itself — the messaging server answers a chat
     * session on the callee's behalf (deferred delivery). Called on the transaction layer's
     * thread: decide at once and answer elsewhere; a service that takes over must answer, with
     * {@code best} if nothing better.
     */
    default boolean takesOver(ServerTransaction tx, SipResponse best) {
        return false;
    }
}
