package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Optional;

/**
 * One door for two kinds of caller (the XCAP root, RFC 4825): the admin, with the static admin
 * token, and subscribers, with HTTP Digest (which RFC 4825 §9 requires and XCAP clients use,
 * {@code curl --digest -u alice URL}), Basic, or a bearer access token from {@code POST /api/v1/tokens}
 * (the browser client). A Bearer header is first compared, in constant time, with the admin token;
 * if it is not that but has the shape of a JWS it goes to the user's check, otherwise to the admin
 * check, which refuses it. No credentials at all earn the Digest and Basic challenges. Each filter
 * keeps its own logging and refusal; the user side records its refusals under door {@value #XCAP_DOOR}.
 */
final class EitherAuthFilter implements Handler {
    static final String XCAP_DOOR = "xcap";

    private final AdminTokenFilter admin;
    private final UserAuthFilter user;

    EitherAuthFilter(AdminTokenFilter admin, UserAuthFilter user) {
        this.admin = admin;
        this.user = user.atDoor(XCAP_DOOR);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Optional<String> bearer = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(UserAuthFilter::isBearer).map(UserAuthFilter::bearerToken);
        if (bearer.isEmpty()) {
            user.handle(req, res);
        } else if (!admin.matches(bearer.get()) && UserTokens.looksLikeJws(bearer.get())) {
            user.handle(req, res);
        } else {
            admin.handle(req, res);
        }
    }
}
