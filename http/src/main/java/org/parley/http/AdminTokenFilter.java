package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.gate.Admission;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateAttempt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;

/**
 * Lets a request through to the admin API only with {@code Authorization: Bearer <admin token>}.
 * The door passes the one authentication gate like every other: a source that keeps presenting
 * wrong tokens is answered late, then refused with 429 for a while, whatever it presents (GS-4).
 * Refusals are recorded in the {@link AuthAttemptLog} (door {@value #DOOR}, identity
 * {@value #IDENTITY}); the presented token never is, since a near-miss token is still a secret.
 */
final class AdminTokenFilter implements Handler {
    static final String DOOR = "http-admin";
    static final String IDENTITY = "admin";
    private static final String BEARER = "bearer ";

    private final byte[] expectedDigest;
    private final AuthGate gate;
    private final Clock clock;

    AdminTokenFilter(String token, AuthGate gate, Clock clock) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("The admin token must not be blank");
        }
        this.expectedDigest = sha256(token);
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        GateAttempt attempt = new GateAttempt(DOOR, req.remotePeer().host(), req.isSecure() ? "https" : "http",
                req.headers().first(HeaderNames.USER_AGENT), IDENTITY);
        Admission admission = gate.admit(attempt, clock.instant());
        if (admission.refused()) {
            // RFC 6585 §4, as the user API answers a guessing source
            Json.sendProblem(req, res, Problem.of("too-many-attempts", "Too Many Requests", 429,
                    "Too many failed attempts; try again later"));
            return;
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        String refusal;
        if (header.isEmpty() || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refusal = "missing bearer token";
            gate.refused(attempt, refusal, clock.instant());
        } else if (!matches(header.get().substring(BEARER.length()).trim())) {
            refusal = "invalid bearer token";
            gate.failed(attempt, refusal, clock.instant());
            gate.pause(admission.delayOnFailure());
        } else {
            gate.succeeded(attempt, false, clock.instant());
            UserContext.setAdmin(req);
            res.next();
            return;
        }
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"parley-admin\"");
        Json.sendProblem(req, res, Problem.of("unauthorized", "Unauthorized", 401,
                "The admin API needs Authorization: Bearer <admin token> (" + refusal + ")"));
    }

    /** Whether {@code presented} is the admin token; fixed-length digests keep the comparison constant-time. */
    boolean matches(String presented) {
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
