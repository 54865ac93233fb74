package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One door for two kinds of caller (the XCAP root, RFC 4825): a Bearer header goes to the admin
 * token check, anything else to the user's credential check — HTTP Digest, which RFC 4825 §9
 * requires and XCAP clients use ({@code curl --digest -u alice URL}), or Basic; no credentials at
 * all earn the Digest and Basic challenges. Each filter keeps its own logging and refusal; the
 * user side records its refusals under door {@value #XCAP_DOOR}.
 */
final class EitherAuthFilter implements Handler {
    static final String XCAP_DOOR = "xcap";
    private static final String BEARER = "bearer ";

    private final AdminTokenFilter admin;
    private final UserAuthFilter user;

    EitherAuthFilter(AdminTokenFilter admin, UserAuthFilter user) {
        this.admin = admin;
        this.user = user.atDoor(XCAP_DOOR);
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
