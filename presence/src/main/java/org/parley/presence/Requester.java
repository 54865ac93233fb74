package org.parley.presence;

import org.parley.registrar.auth.RequestIdentifier;

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
}
