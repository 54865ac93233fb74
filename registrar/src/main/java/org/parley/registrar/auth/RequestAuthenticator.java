package org.parley.registrar.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.parley.accounts.Account;
import org.parley.accounts.AccountService;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.LocationService;
import org.parley.sip.message.Address;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.Challenges;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transport.Flow;

/**
 * Who is sending a request to one of the services (GS-1, GS-2) — a MESSAGE, a SUBSCRIBE: a request on a connection over which the sender's account
 * registered with digest is trusted (the connection was authenticated and nobody else can write
 * on it); anything else — every UDP request, a new connection — must answer a digest challenge
 * (407, RFC 3261 §22.3) at the one {@link SipDigestGate}, guarded and logged like every other
 * door. The From must then name the authenticated account, or be anonymous (RFC 3323).
 */
public final class RequestAuthenticator {
    /** Result: the sender's account, or the response that refuses the request. */
    public record Outcome(Optional<Account> sender, SipResponse refusal) {
        /** Sends the refusal on {@code tx}, a challenge statelessly ({@link Challenges}). */
        public void refuse(ServerTransaction tx) {
            Challenges.respond(tx, refusal);
        }
    }

    private final SipDigestGate digest;
    private final IdentityResolver identities;
    private final AccountService accounts;
    private final LocationService location;
    private final LocalDomains domains;

    public RequestAuthenticator(SipDigestGate digest, IdentityResolver identities, AccountService accounts,
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

    /**
     * Authenticates the sender. The challenge comes before anything is said about the From or the
     * target (issue 9 §3): an unknown sender, a foreign From and a wrong password are told apart
     * only after digest, so nobody learns which accounts exist by probing.
     */
    public Outcome check(SipRequest req, Flow flow, String toTag, Instant now) {
        Address from = req.from();
        boolean anonymous = isAnonymous(from);
        Optional<Account> claimed = anonymous ? Optional.empty() : identities.resolve(from.uri());
        if (claimed.isPresent() && onAuthenticatedFlow(claimed.get(), flow, now)) {
            return new Outcome(claimed, null);
        }
        SipDigestGate.Result result = digest.authenticate(req, flow, toTag, door(req), false, now);
        if (result.verified().isEmpty()) {
            digest.gate().pause(result.delay());
            return refuse(result.refusal());
        }
        SipDigestGate.Verified who = result.verified().get();
        // the From already named the account that authenticated (the usual case): no second look-up
        Optional<Account> account = claimed.isPresent() && claimed.get().username().equals(who.username())
                ? claimed : accounts.find(who.username());
        if (account.isEmpty() || (!anonymous && (claimed.isEmpty() || claimed.get().id() != account.get().id()))) {
            digest.gate().refused(who.attempt(), "From does not name the authenticated user", now);
            return refuse(req.createResponse(403, "From does not match the authenticated user", toTag));
        }
        digest.gate().succeeded(who.attempt(), false, now);
        return new Outcome(account, null);
    }

    /** The attempt log's door for a service request: "sip-message", "sip-subscribe", "sip-invite"... */
    static String door(SipRequest req) {
        return switch (req.method()) {
            case "MESSAGE" -> "sip-message";
            case "SUBSCRIBE" -> "sip-subscribe";
            case "PUBLISH" -> "sip-publish";
            case "INVITE" -> "sip-invite";
            default -> "sip-" + req.method().toLowerCase(java.util.Locale.ROOT);
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
