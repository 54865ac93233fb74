package org.parley.registrar.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.accounts.AccountService;
import org.parley.accounts.digest.AuthOutcome;
import org.parley.accounts.digest.DigestAuthenticator;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.LocationService;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transport.Flow;

/**
 * Who is sending a request to one of the services (GS-1, GS-2) — a MESSAGE, a SUBSCRIBE: a request on a connection over which the sender's account
 * registered with digest is trusted (the connection was authenticated and nobody else can write
 * on it); anything else — every UDP request, a new connection — must answer a digest challenge
 * (407, RFC 3261 §22.3). The From must then name the authenticated account, or be anonymous
 * (RFC 3323).
 */
public final class RequestAuthenticator {
    /** Result: the sender's account, or the response that refuses the request. */
    public record Outcome(Optional<Account> sender, SipResponse refusal) {
    }

    private final DigestAuthenticator digest;
    private final IdentityResolver identities;
    private final AccountService accounts;
    private final LocationService location;
    private final LocalDomains domains;

    public RequestAuthenticator(DigestAuthenticator digest, IdentityResolver identities, AccountService accounts,
                LocationService location, LocalDomains domains) {
        this.digest = digest;
        this.identities = identities;
        this.accounts = accounts;
        this.location = location;
        this.domains = domains;
    }

    public static boolean isAnonymous(Address from) {
        return from.uri() instanceof SipUri sip && "anonymous.invalid".equalsIgnoreCase(sip.host());
    }

    public Outcome check(SipRequest req, Flow flow, String toTag, Instant now) {
        Address from = req.from();
        boolean anonymous = isAnonymous(from);
        Optional<Account> claimed = anonymous ? Optional.empty() : identities.resolve(from.uri());
        if (!anonymous && claimed.isEmpty()) {
            return refuse(req.createResponse(403, "Sender is not a user of this domain", toTag));
        }
        if (claimed.isPresent() && onAuthenticatedFlow(claimed.get(), flow, now)) {
            return new Outcome(claimed, null);
        }
        AuthOutcome outcome = digest.verify(req.method(), req.headers().lines(HeaderNames.PROXY_AUTHORIZATION), now);
        return switch (outcome) {
            case AuthOutcome.Challenge c -> {
                SipResponse r = req.createResponse(407, "Proxy Authentication Required", toTag);
                for (String ch : digest.challenges(c.stale(), now)) {
                    r = r.withHeader(HeaderNames.PROXY_AUTHENTICATE, ch);
                }
                yield refuse(r);
            }
            case AuthOutcome.Refused r -> refuse(req.createResponse(403, "Wrong user name or password", toTag));
            case AuthOutcome.Authenticated a -> {
                Optional<Account> account = accounts.find(a.username());
                if (account.isEmpty() || (claimed.isPresent() && claimed.get().id() != account.get().id())) {
                    yield refuse(req.createResponse(403, "From does not match the authenticated user", toTag));
                }
                yield new Outcome(account, null);
            }
        };
    }

    private boolean onAuthenticatedFlow(Account account, Flow flow, Instant now) {
        if (flow.connectionId() == null) {
            return false;
        }
        List<org.parley.registrar.Binding> bindings = location.lookup(domains.aorOf(account.username()), now);
        return bindings.stream().anyMatch(b -> flow.connectionId().equals(b.flow().connectionId()));
    }

    private static Outcome refuse(SipResponse r) {
        return new Outcome(Optional.empty(), r);
    }
}
