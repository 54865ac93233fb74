package org.parley.sip.proxy;

import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The one rule for an answer that may be a digest challenge, wherever a challenge is sent (the
 * registrar, the services, the router's relay gate): a 401 or 407 goes out as a stateless UAS sends
 * it (RFC 3261 §8.2.7, {@link ServerTransaction#respondStatelessly}), keeping no transaction state
 * that a flood of unauthenticated requests could pile up (§26.1.5); anything else as usual.
 */
public final class Challenges {
    private Challenges() {
    }

    /** Sends {@code response} on {@code tx}; false when a final response had already been sent. */
    public static boolean respond(ServerTransaction tx, SipResponse response) {
        return response.status() == 401 || response.status() == 407 ? tx.respondStatelessly(response) : tx.respond(response);
    }
}
