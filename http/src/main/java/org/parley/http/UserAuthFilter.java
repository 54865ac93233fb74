package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.AccountService;
import org.parley.accounts.gate.Admission;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateAttempt;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.DigestHashes;
import org.parley.accounts.digest.AuthOutcome;
import org.parley.accounts.digest.NonceService;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a request through to the user API only with the account's own credentials (GS-1), checked
 * against the digest HA1 values the SIP registrar uses, so one password serves both doors and no
 * plain password is stored:
 * <ul>
 *   <li>HTTP Digest (RFC 7616, SHA-256 or MD5 with {@code qop=auth}) through the registrar's own
 *       {@link org.parley.accounts.digest.DigestAuthenticator} ({@link HttpDigestAuth}); this is
 *       what XCAP clients use (RFC 4825 §9 requires it), e.g. {@code curl --digest -u alice URL};</li>
 *   <li>HTTP Basic (RFC 7617), checked against the SHA-256 HA1; what {@code curl -u alice URL} sends;</li>
 *   <li>{@code Bearer} (RFC 6750) with an access token from {@code POST /api/v1/tokens} ({@link UserTokens}),
 *       for the browser client: good when signed by this server, for this domain, unexpired, its
 *       account still exists and its password has not changed since.</li>
 * </ul>
 * A refusal is a 401 carrying every challenge, Digest SHA-256 first, then Digest MD5, then Basic;
 * an expired nonce with an otherwise right answer gets {@code stale=true}; a refused bearer token
 * earns {@code Bearer realm="<domain>", error="invalid_token"} before them (RFC 6750 §3.1). On
 * success the user name goes to {@link UserContext}.
 * <p>
 * Every attempt passes the server's one {@link AuthGate} (issue 9 §3), the same guard the SIP
 * doors use: a source guessing an account is slowed (its refusals answered late), then refused
 * with 429 for a while; an account guessed from many places is slowed. A wrong password and an
 * unknown user are one outcome ({@value AuthGate#BAD_CREDENTIALS}) in the answer and in the log.
 * Refusals are recorded (door {@value #DOOR}, or {@value EitherAuthFilter#XCAP_DOOR} at /xcap-root)
 * with the claimed user name (for a token, its subject only if we signed it), never the password or
 * token; successes are not, since clients repeat the login on every request and would flood the log.
 */
final class UserAuthFilter implements Handler {
    static final String DOOR = "http-user";
    private static final String BEARER = "bearer ";

    private final AccountService accounts;
    private final String realm;
    private final AuthGate gate;
    private final Clock clock;
    private final HttpDigestAuth digest;
    private final String door;
    private final UserTokens tokens;
    /** Compared against when the account does not exist, so the answer takes as long as a wrong password. */
    private final String decoyHa1;

    /**
     * A filter with nonces of its own, good for {@link HttpDigestAuth#NONCE_TTL} (300 s), taking
     * bearer tokens that {@code tokens} verifies.
     */
    UserAuthFilter(AccountService accounts, String realm, AuthGate gate, Clock clock, UserTokens tokens) {
        this(accounts, realm, gate, clock, new NonceService(HttpDigestAuth.NONCE_TTL), tokens);
    }

    /** A filter issuing and checking Digest nonces with {@code nonces} (which may be shared with other doors). */
    UserAuthFilter(AccountService accounts, String realm, AuthGate gate, Clock clock, NonceService nonces,
                   UserTokens tokens) {
        this(accounts, realm, gate, clock,
                new HttpDigestAuth(accounts, requireRealm(realm), nonces, clock), DOOR, tokens);
    }

    private UserAuthFilter(AccountService accounts, String realm, AuthGate gate, Clock clock,
                           HttpDigestAuth digest, String door, UserTokens tokens) {
        this.accounts = accounts;
        this.realm = requireRealm(realm);
        this.gate = gate;
        this.clock = clock;
        this.digest = digest;
        this.door = door;
        this.tokens = tokens;
        this.decoyHa1 = DigestHashes.ha1(DigestHashes.SHA_256, "", realm, "");
    }

    /** The same check (and the same nonces) recording its refusals under another door name. */
    UserAuthFilter atDoor(String doorName) {
        return new UserAuthFilter(accounts, realm, gate, clock, digest, doorName, tokens);
    }

    private static String requireRealm(String realm) {
        if (realm.isBlank()) {
            throw new IllegalArgumentException("The user API realm (the SIP domain) must not be blank");
        }
        return realm;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        List<String> authorizations = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        GateAttempt attempt = new GateAttempt(door, req.remotePeer().host(), req.isSecure() ? "https" : "http",
                req.headers().first(HeaderNames.USER_AGENT), claimedUser(authorizations));
        Admission admission = gate.admit(attempt, clock.instant());
        if (admission.refused()) {
            // RFC 6585 §4; the same answer whether the guard stopped the source or slowed the account
            Json.sendProblem(req, res, Problem.of("too-many-attempts", "Too Many Requests", 429,
                    "Too many failed logins; try again later"));
            return;
        }
        Outcome outcome;
        if (authorizations.isEmpty()) {
            outcome = Outcome.refused("", "missing credentials");
        } else if (HttpDigestAuth.isDigest(authorizations.getFirst())) {
            outcome = verifyDigest(req, authorizations);
        } else if (isBearer(authorizations.getFirst())) {
            outcome = verifyBearer(authorizations.getFirst());
        } else {
            outcome = verifyBasic(authorizations.getFirst());
        }
        if (outcome.refusal().isEmpty()) {
            if (!outcome.bearer()) {
                // a token proves no knowledge of the password: it must not wipe out the count of
                // failed password guesses (e.g. at the current password of POST /me/password)
                gate.succeeded(attempt.claiming(outcome.identity()), false, clock.instant());
            }
            UserContext.set(req, outcome.identity());
            res.next();
            return;
        }
        GateAttempt refused = attempt.claiming(outcome.identity());
        if (outcome.guess()) {
            gate.failed(refused, outcome.refusal().get(), clock.instant());
            gate.pause(admission.delayOnFailure());
        } else {
            gate.refused(refused, outcome.refusal().get(), clock.instant());
        }
        List<String> challenges = new ArrayList<>();
        if (outcome.bearer()) {
            challenges.add("Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
        }
        challenges.addAll(digest.challenges(outcome.stale()));
        challenges.add("Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        res.header(HeaderNames.WWW_AUTHENTICATE, challenges.toArray(String[]::new));
        // One detail for every refusal: telling "no such user" from "wrong password" would let anyone probe for accounts.
        Json.sendProblem(req, res, Problem.of("unauthorized", "Unauthorized", 401, outcome.bearer()
                ? "The bearer token is not valid (expired, altered, from before a restart or a password change, or its account is gone);"
                        + " get a new one with POST /api/v1/tokens"
                : "The user API needs HTTP Digest or Basic credentials of a Parley account"));
    }

    /** The account a password attempt claims, for the guard; "" for a bearer token (unguessable, and signed). */
    private static String claimedUser(List<String> authorizations) {
        if (authorizations.isEmpty()) {
            return "";
        }
        if (HttpDigestAuth.isDigest(authorizations.getFirst())) {
            return HttpDigestAuth.claimedUser(authorizations);
        }
        return BasicCredentials.parse(authorizations.getFirst()).map(BasicCredentials::userId).orElse("");
    }

    private Outcome verifyDigest(ServerRequest req, List<String> authorizations) {
        String query = req.prologue().query().rawValue();
        String target = req.prologue().uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query);
        AuthOutcome result = digest.verify(req.prologue().method().text(), target, authorizations);
        return switch (result) {
            case AuthOutcome.Authenticated a -> Outcome.accepted(a.username());
            case AuthOutcome.Challenge c -> new Outcome(HttpDigestAuth.claimedUser(authorizations),
                    Optional.of(c.stale() ? "stale-nonce" : c.reason()), c.stale());
            case AuthOutcome.Refused r -> Outcome.guess(r.username().strip().toLowerCase(Locale.ROOT));
        };
    }

    static boolean isBearer(String authorization) {
        return authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    /** The token of a {@code Bearer} header (RFC 6750 §2.1). */
    static String bearerToken(String authorization) {
        return authorization.substring(BEARER.length()).strip();
    }

    private Outcome verifyBearer(String authorization) {
        return switch (tokens.verify(bearerToken(authorization))) {
            case UserTokens.Verification.Valid v -> accounts.credentials(v.username())
                    .map(current -> tokens.stillCurrent(v, current)
                            ? Outcome.acceptedToken(v.username())
                            : Outcome.refusedToken(v.username(), "password-changed"))
                    .orElseGet(() -> Outcome.refusedToken(v.username(), AuthGate.BAD_CREDENTIALS));
            case UserTokens.Verification.Invalid i -> Outcome.refusedToken(i.identity(), i.reason());
        };
    }

    private Outcome verifyBasic(String authorization) {
        if (!BasicCredentials.isBasic(authorization)) {
            return Outcome.refused("", "unsupported authorization scheme");
        }
        Optional<BasicCredentials> basic = BasicCredentials.parse(authorization);
        if (basic.isEmpty()) {
            return Outcome.refused("", "malformed basic credentials");
        }
        // Accounts are stored lower-case and their HA1 computed over that spelling.
        String username = basic.get().userId().strip().toLowerCase(Locale.ROOT);
        Optional<DigestCredentials> stored = accounts.credentials(username);
        String presented = DigestHashes.ha1(DigestHashes.SHA_256, username, realm, basic.get().password());
        boolean matches = MessageDigest.isEqual(bytes(presented), bytes(stored.map(DigestCredentials::ha1Sha256)
                .orElse(decoyHa1)));
        return matches && stored.isPresent() ? Outcome.accepted(username) : Outcome.guess(username);
    }

    private static byte[] bytes(String hex) {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The claimed identity and, unless accepted, why not; {@code stale}: only the Digest nonce was too
     * old; {@code bearer}: a bearer token was presented (refused, or accepted without a password); {@code guess}: a wrong password or an unknown
     * user, which the guard counts.
     */
    private record Outcome(String identity, Optional<String> refusal, boolean stale, boolean bearer, boolean guess) {
        Outcome(String identity, Optional<String> refusal, boolean stale) {
            this(identity, refusal, stale, false, false);
        }

        static Outcome guess(String identity) {
            return new Outcome(identity, Optional.of(AuthGate.BAD_CREDENTIALS), false, false, true);
        }

        static Outcome accepted(String username) {
            return new Outcome(username, Optional.empty(), false);
        }

        static Outcome acceptedToken(String username) {
            return new Outcome(username, Optional.empty(), false, true, false);
        }

        static Outcome refused(String identity, String reason) {
            return new Outcome(identity, Optional.of(reason), false);
        }

        static Outcome refusedToken(String identity, String reason) {
            return new Outcome(identity, Optional.of(reason), false, true, false);
        }
    }
}
