package org.parley.registrar.auth;

import java.time.Instant;
import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The rule of event packages that describe a user's own things (message-summary, xcap-diff): the
 * subscriber must authenticate (GS-1) and be the owner of the address subscribed to.
 */
public final class OwnSubscriptions {
    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final RequestAuthenticator authenticator;

    public OwnSubscriptions(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator) {
        this.domains = domains;
        this.identities = identities;
        this.authenticator = authenticator;
    }

    /**
     * The owner's canonical AOR when the SUBSCRIBE may go ahead; otherwise the refusal (404, 407,
     * 403) has been sent and the result is empty.
     */
    public Optional<String> allow(ServerTransaction tx, Instant now, String what) {
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
        if (who.sender().orElseThrow().id() != target.get().id()) {
            tx.respond(req.createResponse(403, "Only the owner may watch " + what, tx.localTag()));
            return Optional.empty();
        }
        return Optional.of(domains.aorOf(target.get().username()));
    }
}
