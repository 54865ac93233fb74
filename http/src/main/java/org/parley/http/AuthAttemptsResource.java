package org.parley.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;

import java.util.Optional;

/** {@code GET /admin/v1/auth-attempts}: the record of registration and login attempts, newest first. */
final class AuthAttemptsResource implements HttpService {
    private final AuthAttemptLog log;

    AuthAttemptsResource(AuthAttemptLog log) {
        this.log = log;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/auth-attempts", (req, res) -> {
            Paging paging = Paging.from(req);
            Optional<String> identity = req.query().first("identity").asOptional().filter(s -> !s.isBlank());
            Json.send(res, 200, PageView.of(log.list(identity, paging.offset(), paging.limit()), AttemptView::of));
        });
    }

    record AttemptView(String at, String identity, boolean success, String reason, String door, String source,
                       String transport, String userAgent) {
        static AttemptView of(AuthAttempt a) {
            return new AttemptView(a.at().toString(), a.identity(), a.success(), a.reason(), a.door(), a.source(),
                    a.transport(), a.userAgent().orElse(null));
        }
    }
}
