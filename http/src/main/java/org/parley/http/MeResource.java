package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AccountUpdate;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;

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
    private final AuthAttemptLog attempts;
    private final Clock clock;

    MeResource(AccountDataService data, AuthAttemptLog attempts, Clock clock) {
        this.data = data;
        this.attempts = attempts;
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
        boolean current = data.accounts().credentials(username).map(c -> c.matches(body.currentPassword()))
                .orElse(false);
        if (!current) {
            attempts.record(new AuthAttempt(clock.instant(), username, false, "bad-password", DOOR,
                    req.remotePeer().host(), req.isSecure() ? "https" : "http",
                    req.headers().first(HeaderNames.USER_AGENT)));
            throw ProblemException.forbidden("The current password is wrong");
        }
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
