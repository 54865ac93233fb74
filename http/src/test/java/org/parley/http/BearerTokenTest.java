package org.parley.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.NewAccount;
import org.parley.testkit.MutableClock;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens for subscribers over real HTTP: obtained from {@code POST /api/v1/tokens} with the SIP
 * password (Basic or Digest), then taken by {@code /api/v1} and {@code /xcap-root} like the password.
 */
@DisplayName("C4, GS-1, RFC 6750 bearer tokens for users at /api/v1 and /xcap-root (from POST /api/v1/tokens)")
class BearerTokenTest {
    private static final String PASSWORD = "alice-pässword:1";
    private static final String TOKENS = "/api/v1/tokens";
    private static final String WHOAMI = "/api/v1/whoami";
    private static final String ALICE_DOC = "/xcap-root/resource-lists/users/sip:alice@example.org/index";
    private static final String BOB_DOC = "/xcap-root/resource-lists/users/sip:bob@example.org/index";
    private static final String INVALID_TOKEN = "Bearer realm=\"example.org\", error=\"invalid_token\"";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final TestServer http = new TestServer(b -> b.userRealm("example.org").clock(clock)
            .userService(new WhoAmI()).xcapService(new OwnDocuments()));

    @BeforeEach
    void accounts() {
        http.accounts.create(new NewAccount("alice", PASSWORD, Optional.empty(), Optional.empty(), List.of()));
        http.accounts.create(new NewAccount("bob", "bob-password", Optional.empty(), Optional.empty(), List.of()));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    @DisplayName("Basic buys an RFC 6749 §5.1 token response, not cached; the JWS is HS256 with sub, iss, aud, iat, exp")
    void tokenWithBasic() throws Exception {
        HttpResponse<String> response = postTokens(basic("ALICE", PASSWORD));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);

        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).as("the canonical user name").isEqualTo("alice");
        assertThat(claims.getIssuer()).isEqualTo("parley");
        assertThat(claims.getAudience()).containsExactly("example.org");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(3600));
        assertThat(http.attempts.list(Optional.empty(), 0, 10).total()).isZero();
    }

    @Test
    @DisplayName("Digest (RFC 7616, SHA-256) buys a token as well; a wrong password buys a 401 and no token")
    void tokenWithDigest() throws Exception {
        HttpResponse<String> challenged = postTokens(null);
        assertThat(challenged.statusCode()).isEqualTo(401);
        assertThat(challenged.headers().allValues("WWW-Authenticate")).as("no bearer challenge without a token")
                .hasSize(3).noneMatch(h -> h.startsWith("Bearer"));
        String challenge = challenged.headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.contains("algorithm=SHA-256")).findFirst().orElseThrow();
        HttpResponse<String> response = postTokens(digest(challenge, "POST", TOKENS, "alice", PASSWORD));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = Json.mapper().readTree(response.body()).get("access_token").asText();
        assertThat(get(WHOAMI, bearer(token)).body()).isEqualTo("alice");

        assertThat(postTokens(basic("alice", "not-" + PASSWORD)).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("the token opens /api/v1 and the user's own XCAP documents (200), not another user's (403)")
    void tokenOpensBothDoors() {
        String alice = token("alice", PASSWORD);
        HttpResponse<String> api = get(WHOAMI, bearer(alice));
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        assertThat(api.body()).isEqualTo("alice");
        HttpResponse<String> own = get(ALICE_DOC, bearer(alice));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).isEqualTo("document of alice");
        assertThat(get(BOB_DOC, bearer(alice)).statusCode()).isEqualTo(403);
        assertThat(get(BOB_DOC, bearer(token("bob", "bob-password"))).statusCode()).isEqualTo(200);
        assertThat(get(WHOAMI, "bearer   " + alice).body()).as("scheme case-insensitive (RFC 9110 §11.1)")
                .isEqualTo("alice");
        assertThat(http.attempts.list(Optional.empty(), 0, 10).total()).isZero();
    }

    @Test
    @DisplayName("the admin's static token still opens /xcap-root as admin; a near miss is an admin refusal")
    void adminTokenStillWorks() {
        HttpResponse<String> admin = get(BOB_DOC, bearer(TestServer.TOKEN));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo("admin");
        HttpResponse<String> wrong = get(BOB_DOC, bearer(TestServer.TOKEN + "x"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"parley-admin\"");
        assertThat(http.attempts.list(Optional.empty(), 0, 10).items()).singleElement()
                .satisfies(a -> assertThat(a.door()).isEqualTo("http-admin"));
        assertThat(get(WHOAMI, bearer(TestServer.TOKEN)).statusCode()).as("the admin token is no user token")
                .isEqualTo(401);
    }

    @Test
    @DisplayName("an expired token (past exp and the 30 s skew) is 401 invalid_token with the Digest and Basic challenges")
    void expiredToken() {
        String alice = token("alice", PASSWORD);
        clock.advance(Duration.ofSeconds(3600 + 20));
        assertThat(get(WHOAMI, bearer(alice)).statusCode()).as("within the clock skew").isEqualTo(200);
        clock.advance(Duration.ofSeconds(11));
        assertInvalidToken(get(WHOAMI, bearer(alice)));
        assertInvalidToken(get(ALICE_DOC, bearer(alice)));

        List<AuthAttempt> recorded = http.attempts.list(Optional.empty(), 0, 10).items();
        assertThat(recorded).extracting(AuthAttempt::door).containsExactlyInAnyOrder("http-user", "xcap");
        assertThat(recorded).allSatisfy(a -> {
            assertThat(a.identity()).isEqualTo("alice");
            assertThat(a.reason()).isEqualTo("expired-token").doesNotContain(alice);
            assertThat(a.success()).isFalse();
        });
        assertThat(http.get("/admin/v1/auth-attempts").body()).as("the token is never recorded")
                .doesNotContain(alice).doesNotContain(alice.substring(alice.lastIndexOf('.') + 1));
    }

    @Test
    @DisplayName("a tampered, unsigned, foreign-key or garbage token is 401 invalid_token at both doors")
    void tamperedTokens() throws Exception {
        String alice = token("alice", PASSWORD);
        String[] parts = alice.split("\\.");
        JWTClaimsSet asBob = new JWTClaimsSet.Builder(SignedJWT.parse(alice).getJWTClaimsSet()).subject("bob").build();
        String otherSubject = parts[0] + "." + Base64URL.encode(asBob.toString()) + "." + parts[2];
        char last = parts[2].charAt(0);
        String badSignature = parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
        String unsigned = Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(UserTokens.TYPE).build(),
                SignedJWT.parse(alice).getJWTClaimsSet());
        foreign.sign(new MACSigner(otherKey));
        for (String token : List.of(otherSubject, badSignature, unsigned, foreign.serialize(), "a.b.c")) {
            assertInvalidToken(get(WHOAMI, bearer(token)));
            assertInvalidToken(get(ALICE_DOC, bearer(token)));
        }
        assertThat(http.attempts.list(Optional.empty(), 0, 20).items()).hasSize(10).allSatisfy(a -> {
            assertThat(a.identity()).as("no claim of an unverified token is trusted").isEmpty();
            assertThat(a.door()).isIn("http-user", "xcap");
        });
        assertThat(get(WHOAMI, bearer(alice)).body()).as("the genuine token still works").isEqualTo("alice");
    }

    @Test
    @DisplayName("a token whose account was deleted is 401 invalid_token, recorded as bad-credentials, like any unknown user")
    void deletedAccount() {
        String bob = token("bob", "bob-password");
        assertThat(get(WHOAMI, bearer(bob)).statusCode()).isEqualTo(200);
        assertThat(http.accounts.delete("bob")).isTrue();
        assertInvalidToken(get(WHOAMI, bearer(bob)));
        assertInvalidToken(get(BOB_DOC, bearer(bob)));
        assertThat(http.attempts.list(Optional.empty(), 0, 10).items()).hasSize(2)
                .allSatisfy(a -> assertThat(a.reason()).isEqualTo("bad-credentials"))
                .allSatisfy(a -> assertThat(a.identity()).isEqualTo("bob"));
    }

    @Test
    @DisplayName("a token does not buy another token (403): renewing needs the password")
    void noTokenForAToken() {
        HttpResponse<String> response = postTokens(bearer(token("alice", PASSWORD)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("access_token");
    }

    @Test
    @DisplayName("the lifetime comes from the settings (http.user-token-seconds)")
    void configuredLifetime() throws Exception {
        try (TestServer shortLived = new TestServer(b -> b.userRealm("example.org").clock(clock)
                .settings(new HttpSettings("127.0.0.1", 0, 0, Optional.empty(), 4096)
                        .withUserTokenLifetime(Duration.ofMinutes(5))))) {
            shortLived.accounts.create(new NewAccount("carol", "carol-pw", Optional.empty(), Optional.empty(), List.of()));
            HttpResponse<String> response = shortLived.send(shortLived.request(TOKENS)
                    .header("Authorization", basic("carol", "carol-pw"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = Json.mapper().readTree(response.body());
            assertThat(body.get("expires_in").asLong()).isEqualTo(300);
            Date exp = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet().getExpirationTime();
            assertThat(exp.toInstant()).isEqualTo(clock.instant().plusSeconds(300));
            String token = body.get("access_token").asText();
            assertInvalidToken(get(WHOAMI, bearer(token)));
        }
    }

    private static void assertInvalidToken(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        List<String> offered = response.headers().allValues("WWW-Authenticate");
        assertThat(offered).hasSize(4).first().isEqualTo(INVALID_TOKEN);
        assertThat(offered.subList(1, 3)).allMatch(h -> h.startsWith("Digest realm=\"example.org\""));
        assertThat(offered.get(3)).isEqualTo("Basic realm=\"example.org\", charset=\"UTF-8\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private String token(String user, String password) {
        HttpResponse<String> response = postTokens(basic(user, password));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return Json.mapper().readTree(response.body()).get("access_token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> postTokens(String authorization) {
        HttpRequest.Builder request = http.request(TOKENS).POST(HttpRequest.BodyPublishers.noBody());
        return http.send(authorization == null ? request : request.header("Authorization", authorization));
    }

    private HttpResponse<String> get(String path, String authorization) {
        return http.send(http.request(path).header("Authorization", authorization).GET());
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The client side of RFC 7616 §3.4.1 (SHA-256, qop=auth), computed here independently of the server. */
    private static String digest(String challenge, String method, String uri, String user, String password)
            throws Exception {
        Matcher realm = Pattern.compile("realm=\"([^\"]*)\"").matcher(challenge);
        Matcher nonce = Pattern.compile("nonce=\"([^\"]*)\"").matcher(challenge);
        assertThat(realm.find() && nonce.find()).as(challenge).isTrue();
        String cnonce = "c" + System.nanoTime();
        String ha1 = sha256(user + ":" + realm.group(1) + ":" + password);
        String ha2 = sha256(method + ":" + uri);
        String response = sha256(ha1 + ":" + nonce.group(1) + ":00000001:" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm.group(1) + "\", nonce=\"" + nonce.group(1)
                + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=SHA-256, qop=auth, nc=00000001"
                + ", cnonce=\"" + cnonce + "\"";
    }

    private static String sha256(String data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    private static final class WhoAmI implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/whoami", (req, res) -> res.send(UserContext.username(req)));
        }
    }

    /**
     * Stands in for the XCAP server: the admin reaches every document, a subscriber only those under
     * their own XUI (RFC 4825 §6), as the real one decides from {@link UserContext}.
     */
    private static final class OwnDocuments implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/resource-lists/users/{xui}/index", (req, res) -> {
                String xui = req.path().pathParameters().get("xui");
                if (UserContext.isAdmin(req)) {
                    res.send("admin");
                } else if (UserContext.user(req).map(u -> ("sip:" + u + "@example.org").equals(xui)).orElse(false)) {
                    res.send("document of " + UserContext.user(req).orElseThrow());
                } else {
                    res.status(403).send("not your document");
                }
            });
        }
    }
}
