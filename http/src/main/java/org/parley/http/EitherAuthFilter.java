package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One door for two kinds of caller: a Bearer header goes to the admin token check, anything else
 * (Basic, or nothing, which earns the Basic challenge subscribers' clients expect) to the user's
 * credential check. Each filter keeps its own logging and refusal.
 */
final class EitherAuthFilter implements Handler {
    private static final String BEARER = "bearer ";

    private final AdminTokenFilter admin;
    private final UserAuthFilter user;

    EitherAuthFilter(AdminTokenFilter admin, UserAuthFilter user) {
        this.admin = admin;
        this.user = user;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        boolean bearer = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .isPresent();
        if (bearer) {
            admin.handle(req, res);
        } else {
            user.handle(req, res);
        }
    }
}
