package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.DigestHashes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a request through to the user API only with the account's own credentials (GS-1): HTTP
 * Basic, checked against the same SHA-256 digest HA1 the SIP registrar uses, so one password
 * serves both doors and no plain password is stored. On success the user name goes to
 * {@link UserContext}. Refusals are recorded in the {@link AuthAttemptLog} (door {@value #DOOR})
 * with the claimed user name, never the password; successes are not, since Basic repeats the
 * login on every request and would flood the log.
 */
final class UserAuthFilter implements Handler {
    static final String DOOR = "http-user";

    private final AccountService accounts;
    private final String realm;
    private final AuthAttemptLog attempts;
    private final Clock clock;
    /** Compared against when the account does not exist, so the answer takes as long as a wrong password. */
    private final String decoyHa1;

    UserAuthFilter(AccountService accounts, String realm, AuthAttemptLog attempts, Clock clock) {
        if (realm.isBlank()) {
            throw new IllegalArgumentException("The user API realm (the SIP domain) must not be blank");
        }
        this.accounts = accounts;
        this.realm = realm;
        this.attempts = attempts;
        this.clock = clock;
        this.decoyHa1 = DigestHashes.ha1(DigestHashes.SHA_256, "", realm, "");
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Outcome outcome = req.headers().first(HeaderNames.AUTHORIZATION)
                .map(this::verify)
                .orElse(Outcome.refused("", "missing credentials"));
        if (outcome.refusal().isEmpty()) {
            UserContext.set(req, outcome.identity());
            res.next();
            return;
        }
        attempts.record(new AuthAttempt(clock.instant(), outcome.identity(), false, outcome.refusal().get(), DOOR,
                req.remotePeer().host(), req.isSecure() ? "https" : "http",
                req.headers().first(HeaderNames.USER_AGENT)));
        res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        // One detail for every refusal: telling "no such user" from "wrong password" would let anyone probe for accounts.
        Json.sendProblem(req, res, Problem.of("unauthorized", "Unauthorized", 401,
                "The user API needs HTTP Basic credentials of a Parley account"));
    }

    private Outcome verify(String authorization) {
        // Seam for browser sessions: a Bearer token verifier goes here as a second scheme, yielding the same Outcome.
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
        if (stored.isEmpty()) {
            return Outcome.refused(username, "unknown-user");
        }
        return matches ? Outcome.accepted(username) : Outcome.refused(username, "bad-password");
    }

    private static byte[] bytes(String hex) {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }

    /** The claimed identity and, unless accepted, why not. */
    private record Outcome(String identity, Optional<String> refusal) {
        static Outcome accepted(String username) {
            return new Outcome(username, Optional.empty());
        }

        static Outcome refused(String identity, String reason) {
            return new Outcome(identity, Optional.of(reason));
        }
    }
}
