package org.parley.presence;

import java.util.Locale;
import java.util.Optional;
import org.parley.registrar.auth.RequestIdentifier;
import org.parley.sip.message.SipRequest;

/**
 * Who a PUBLISH or SUBSCRIBE is about (the presentity in the Request-URI) and who sends it,
 * authenticated (GS-1): by digest, or by the connection the sender registered on.
 *
 * @param presentity the canonical AOR of the Request-URI's account
 * @param sender     the canonical AOR of the authenticated account
 */
record Requester(String presentity, String sender) {

    boolean isOwner() {
        return presentity.equals(sender);
    }

    static Requester of(RequestIdentifier.Identity who) {
        return new Requester(who.targetAor(), who.senderAor());
    }

    /** The event package an Event header names, without its parameters (RFC 6665 §8.2.1). */
    static Optional<String> eventPackage(SipRequest req) {
        return req.header("Event").map(e -> e.split(";", 2)[0].strip().toLowerCase(Locale.ROOT));
    }
}
