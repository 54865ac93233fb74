package org.parley.registrar.auth;

import java.time.Instant;
import java.util.Optional;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The rule of event packages that describe a user's own things (message-summary, xcap-diff): the
 * subscriber must authenticate (GS-1) and be the owner of the address subscribed to.
 */
public final class OwnSubscriptions {
    private final RequestIdentifier identifier;

    public OwnSubscriptions(LocalDomains domains, IdentityResolver identities, RequestAuthenticator authenticator) {
        this.identifier = new RequestIdentifier(domains, identities, authenticator);
    }

    /**
     * The owner's canonical AOR when the SUBSCRIBE may go ahead; otherwise the refusal (404, 407,
     * 403) has been sent and the result is empty.
     */
    public Optional<String> allow(ServerTransaction tx, Instant now, String what) {
        Optional<RequestIdentifier.Identity> who = identifier.identify(tx, now);
        if (who.isPresent() && !who.get().senderIsTarget()) {
            tx.respond(tx.request().createResponse(403, "Only the owner may watch " + what, tx.localTag()));
            return Optional.empty();
        }
        return who.map(RequestIdentifier.Identity::targetAor);
    }
}
