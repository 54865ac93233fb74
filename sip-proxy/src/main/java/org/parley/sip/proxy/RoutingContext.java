package org.parley.sip.proxy;

import java.util.List;
import java.util.Optional;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transaction.ServerTransaction;

/**
 * One request on its way through the router's steps: what every step needs is worked out once
 * here — the request after this server's own Route is removed (§16.4), the stamp that Route
 * carried, whether the request is for the server itself, and the registered device or devices it
 * goes to — instead of by each step again.
 */
final class RoutingContext {
    private final ServerTransaction tx;
    private final Locator locator;
    private SipRequest request;
    private final Optional<RouteStamps.Stamp> stamp;
    private final boolean forServer;
    private Optional<ContactTarget> contact;
    private List<ContactTarget> devices;

    RoutingContext(ServerTransaction tx, SipRequest request, Optional<RouteStamps.Stamp> stamp, boolean forServer,
                   Locator locator) {
        this.tx = tx;
        this.request = request;
        this.stamp = stamp;
        this.forServer = forServer;
        this.locator = locator;
    }

    ServerTransaction tx() {
        return tx;
    }

    SipRequest request() {
        return request;
    }

    /** The request as it is forwarded from here on (e.g. without the credentials meant for us). */
    void forward(SipRequest changed) {
        this.request = changed;
    }

    Optional<RouteStamps.Stamp> stamp() {
        return stamp;
    }

    boolean forServer() {
        return forServer;
    }

    boolean inDialog() {
        return request.to().tag().isPresent();
    }

    /** The registered device whose contact is the Request-URI, looked up once. */
    Optional<ContactTarget> contact() {
        if (contact == null) {
            contact = locator.byContact(request.requestUri());
        }
        return contact;
    }

    /** The registered devices of the user the Request-URI names, looked up once. */
    List<ContactTarget> devices() {
        if (devices == null) {
            devices = locator.lookup(request.requestUri());
        }
        return devices;
    }

    void respond(int status, String reason) {
        tx.respond(request.createResponse(status, reason, tx.localTag()));
    }
}
