package org.parley.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.accounts.AccountService;

/**
 * {@code POST /api/v1/tokens} (GS-1): trades the account's own HTTP Digest or Basic credentials,
 * already checked by the user API's guard, for a bearer access token ({@link UserTokens}) that the
 * browser client then sends to {@code /api/v1} and {@code /xcap-root} (RFC 6750). The answer has the
 * shape of an RFC 6749 §5.1 token response, and like it must not be cached. A token does not buy
 * another one: renewing needs the password again, so a stolen token dies at its {@code exp}.
 */
final class TokensResource implements HttpService {
    static final String TOKEN_TYPE = "Bearer";

    private final UserTokens tokens;
    private final AccountService accounts;

    TokensResource(UserTokens tokens, AccountService accounts) {
        this.tokens = tokens;
        this.accounts = accounts;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/tokens", this::issue);
    }

    private void issue(ServerRequest req, ServerResponse res) {
        boolean byToken = req.headers().first(HeaderNames.AUTHORIZATION).filter(UserAuthFilter::isBearer).isPresent();
        if (byToken) {
            throw ProblemException.forbidden(
                    "A token is issued for the account's password (HTTP Digest or Basic), not for another token");
        }
        String username = UserContext.username(req);
        UserTokens.Issued issued = tokens.issue(accounts.credentials(username)
                .orElseThrow(() -> ProblemException.notFound("The account no longer exists")));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        Json.send(res, 200, new TokenResponse(issued.token(), TOKEN_TYPE, issued.expiresInSeconds()));
    }

    /** RFC 6749 §5.1. */
    record TokenResponse(@JsonProperty("access_token") String accessToken,
                         @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") long expiresIn) {
        @Override
        public String toString() {
            return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
        }
    }
}
