package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AccountUpdate;
import org.parley.accounts.gate.Admission;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateAttempt;

import java.time.Clock;
import java.util.Map;

/**
 * The authenticated user's own account under {@code /api/v1/me}:
 * <ul>
 *   <li>{@code POST /me/password} changes the password. The current one is required even with a
 *       bearer token, so a token left in a browser cannot lock its owner out; a wrong one is 403 and
 *       recorded as a failed attempt (door {@value #DOOR}). The new one passes the same policy as
 *       {@code parley user add} (400 otherwise). The digest hashes change, so the next SIP REGISTER
 *       needs the new password, and every bearer token issued before stops working.</li>
 *   <li>{@code GET /me/export} returns everything the server keeps about the account as one JSON
 *       document (PP2-5; GDPR Art. 15 and 20), from {@link AccountDataService}.</li>
 * </ul>
 */
final class MeResource implements HttpService {
    static final String DOOR = "http-password";

    private final AccountDataService data;
    private final AuthGate gate;
    private final Clock clock;

    MeResource(AccountDataService data, AuthGate gate, Clock clock) {
        this.data = data;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/me/password", this::changePassword)
                .get("/me/export", this::export);
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        PasswordChange body = Json.read(req, PasswordChange.class);
        if (body.currentPassword() == null || body.newPassword() == null) {
            throw ProblemException.badRequest("'currentPassword' and 'newPassword' are required");
        }
        String username = UserContext.username(req);
        // the current password is a login like any other: whoever holds a token must not guess it freely
        GateAttempt attempt = new GateAttempt(DOOR, req.remotePeer().host(), req.isSecure() ? "https" : "http",
                req.headers().first(HeaderNames.USER_AGENT), username);
        Admission admission = gate.admit(attempt, clock.instant());
        if (admission.refused()) {
            throw new ProblemException(Problem.of("too-many-attempts", "Too Many Requests", 429,
                    "Too many wrong passwords; try again later"));
        }
        boolean current = data.accounts().credentials(username).map(c -> c.matches(body.currentPassword()))
                .orElse(false);
        if (!current) {
            gate.badCredentials(attempt, clock.instant());
            gate.pause(admission.delayOnFailure());
            throw ProblemException.forbidden("The current password is wrong");
        }
        gate.succeeded(attempt, false, clock.instant());
        data.accounts().update(username, AccountUpdate.password(body.newPassword()));
        res.status(204).send();
    }

    private void export(ServerRequest req, ServerResponse res) {
        String username = UserContext.username(req);
        Map<String, Object> document = data.export(username)
                .orElseThrow(() -> ProblemException.notFound("The account no longer exists"));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"parley-" + username + ".json\"");
        Json.send(res, 200, document);
    }

    /** Body of {@code POST /me/password}. */
    record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[...]";
        }
    }

}
