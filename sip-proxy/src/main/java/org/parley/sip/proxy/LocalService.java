package org.parley.sip.proxy;

import java.util.List;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transaction.ServerTransaction;

/**
 * A service that answers requests itself instead of having them proxied: the registrar now,
 * the messaging, presence and XDM servers later. The router asks each in turn.
 */
public interface LocalService {
    boolean accepts(SipRequest request);

    /** The SIP event packages (RFC 6665) this service is the notifier for, for Allow-Events. */
    default List<String> eventPackages() {
        return List.of();
    }

    /** Serves the request; must answer the transaction with a final response, now or later. */
    void serve(ServerTransaction tx);
}
