package org.parley.sip.proxy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transaction.ServerTransaction;

/**
 * A service that answers requests itself instead of having them proxied: registrar, messaging,
 * presence and XDM servers. The router asks each in turn.
 */
public interface LocalService {
    /** What a service that answered before returning from {@link #serve} returns. */
    CompletionStage<Void> ANSWERED = CompletableFuture.completedStage(null);

    boolean accepts(SipRequest request);

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
}
