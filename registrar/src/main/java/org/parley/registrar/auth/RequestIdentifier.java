package org.parley.registrar.auth;

import java.time.Instant;
import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.ServerTransaction;

/**
 * Who sends a request to whom, for the services that act on a user's resource (subscriptions,
 * publications): the sender must authenticate (407/403, GS-1), then the Request-URI must name a
 * local account (404 otherwise). Both come out as canonical AORs.
 */
public final class RequestIdentifier {
    /** The account the request is about and the account that sent it. */
    public record Identity(String targetAor, String senderAor) {
        public boolean senderIsTarget() {
            return targetAor.equals(senderAor);
        }
    }

    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final RequestAuthenticator authenticator;

    public RequestIdentifier(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator) {
        this.domains = domains;
        this.identities = identities;
        this.authenticator = authenticator;
    }

    /** The identity, or empty when the refusal has been sent. */
    public Optional<Identity> identify(ServerTransaction tx, Instant now) {
        SipRequest req = tx.request();
        // the sender first: a stranger learns nothing of which accounts exist (issue 9 §3)
        RequestAuthenticator.Outcome who = authenticator.check(req, tx.flow(), tx.localTag(), now);
        if (who.refusal() != null) {
            who.refuse(tx);
            return Optional.empty();
        }
        Optional<Account> target = identities.resolve(req.requestUri());
        if (target.isEmpty()) {
            tx.respond(req.createResponse(404, "No such user", tx.localTag()));
            return Optional.empty();
        }
        return Optional.of(new Identity(domains.aorOf(target.get().username()),
                domains.aorOf(who.sender().orElseThrow().username())));
    }
}
