package org.parley.presence;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.ServerTransaction;

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

    /** Who identifies requests: the pieces the registrar already has. */
    record Identification(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator) {

        /** The requester, or empty when the refusal (404, 407, 403) has been sent. */
        Optional<Requester> identify(ServerTransaction tx, Instant now) {
            SipRequest req = tx.request();
            Optional<Account> target = identities.resolve(req.requestUri());
            if (target.isEmpty()) {
                tx.respond(req.createResponse(404, "No such user", tx.localTag()));
                return Optional.empty();
            }
            RequestAuthenticator.Outcome who = authenticator.check(req, tx.flow(), tx.localTag(), now);
            if (who.refusal() != null) {
                tx.respond(who.refusal());
                return Optional.empty();
            }
            return Optional.of(new Requester(domains.aorOf(target.get().username()),
                    domains.aorOf(who.sender().orElseThrow().username())));
        }
    }

    /** The event package an Event header names, without its parameters (RFC 6665 §8.2.1). */
    static Optional<String> eventPackage(SipRequest req) {
        return req.header("Event").map(e -> e.split(";", 2)[0].strip().toLowerCase(Locale.ROOT));
    }
}
