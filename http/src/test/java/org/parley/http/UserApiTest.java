package org.parley.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.NewAccount;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The user API door: subscribers log in with their SIP credentials over HTTP Basic; refusals are recorded. */
@DisplayName("GS-1 user API authentication (HTTP Basic over the SIP digest credentials)")
class UserApiTest {
    private static final String PASSWORD = "pässword:with-colon";
    private static final String CHALLENGE = "Basic realm=\"example.org\", charset=\"UTF-8\"";
    private static final String INVALID_TOKEN = "Bearer realm=\"example.org\", error=\"invalid_token\"";

    private final TestServer http = new TestServer(b -> b.userRealm("example.org").userService(new WhoAmI()));

    @BeforeEach
    void alice() {
        http.accounts.create(new NewAccount("alice", PASSWORD, Optional.empty(), Optional.empty(), List.of()));
        http.accounts.create(new NewAccount("bob", "bob-password", Optional.empty(), Optional.empty(), List.of()));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> whoami(String authorization) {
        HttpRequest.Builder request = http.request("/api/v1/whoami").GET();
        return http.send(authorization == null ? request : request.header("Authorization", authorization));
    }

    private static void assertChallenged(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        List<String> offered = response.headers().allValues("WWW-Authenticate");
        if (offered.getFirst().startsWith("Bearer ")) {
            // A refused bearer token is named first (RFC 6750 §3.1); the password challenges follow as ever.
            assertThat(offered.getFirst()).isEqualTo(INVALID_TOKEN);
            offered = offered.subList(1, offered.size());
        }
        assertThat(offered).hasSize(3).endsWith(CHALLENGE);
        assertThat(offered.subList(0, 2)).as("Digest first (RFC 7616)").allMatch(h -> h.startsWith("Digest realm=\"example.org\""));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.mapper().readTree(response.body()).get("status").asInt()).isEqualTo(401);
    }

    @Test
    @DisplayName("the account's own password opens the user API; the user name is case-insensitive")
    void rightCredentials() {
        HttpResponse<String> ok = whoami(basic("alice", PASSWORD));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("alice");
        assertThat(whoami(basic("ALICE", PASSWORD)).body()).isEqualTo("alice");
        assertThat(whoami(basic("bob", "bob-password")).body()).as("no identity leaks between requests").isEqualTo("bob");
        assertThat(http.attempts.list(Optional.empty(), 0, 10).total()).as("successes are not logged").isZero();
    }

    @Test
    @DisplayName("missing, wrong or malformed credentials are 401 with Digest and Basic challenges, recorded without the password")
    void refusals() throws Exception {
        HttpResponse<String> none = whoami(null);
        HttpResponse<String> wrong = whoami(basic("alice", "guess-" + PASSWORD));
        HttpResponse<String> unknown = whoami(basic("mallory", PASSWORD));
        for (HttpResponse<String> response : List.of(none, wrong, unknown,
                whoami("Basic not-base64!"), whoami(basic("alice", PASSWORD).replace("Basic", "Digest")),
                whoami("Bearer " + TestServer.TOKEN))) {
            assertChallenged(response);
        }
        assertThat(Json.mapper().readTree(wrong.body()).get("detail"))
                .as("no hint whether the account exists").isEqualTo(Json.mapper().readTree(unknown.body()).get("detail"));

        List<AuthAttempt> recorded = http.attempts.list(Optional.empty(), 0, 10).items();
        assertThat(recorded).hasSize(6).allSatisfy(attempt -> {
            assertThat(attempt.door()).isEqualTo("http-user");
            assertThat(attempt.success()).isFalse();
            assertThat(attempt.source()).isEqualTo("127.0.0.1");
            assertThat(attempt.reason()).doesNotContain(PASSWORD).doesNotContain("guess");
        });
        assertThat(recorded).extracting(AuthAttempt::identity, AuthAttempt::reason).contains(
                org.assertj.core.groups.Tuple.tuple("alice", "bad-credentials"),
                org.assertj.core.groups.Tuple.tuple("mallory", "bad-credentials"),
                org.assertj.core.groups.Tuple.tuple("", "missing credentials"));
        JsonNode listed = Json.mapper().readTree(http.get("/admin/v1/auth-attempts?identity=alice").body());
        assertThat(listed.toString()).doesNotContain(PASSWORD);
    }

    @Test
    @DisplayName("the doors do not open each other: user credentials are no admin token and vice versa")
    void separateDoors() throws Exception {
        HttpResponse<String> adminAsUser = whoami("Bearer " + TestServer.TOKEN);
        assertChallenged(adminAsUser);
        assertThat(adminAsUser.headers().firstValue("WWW-Authenticate")).as("no user bearer token").hasValue(INVALID_TOKEN);
        assertThat(http.send(http.request("/admin/v1/users").header("Authorization", basic("alice", PASSWORD)).GET())
                .statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("without a user realm /api/v1 is not mounted, and user resources need the realm")
    void seamIsOptional() {
        try (TestServer plain = new TestServer()) {
            assertThat(plain.send(plain.request("/api/v1/whoami").GET()).statusCode()).isEqualTo(404);
        }
        assertThatThrownBy(() -> ParleyHttpServer.builder()
                .settings(new HttpSettings("127.0.0.1", 0, 0, Optional.empty(), 4096))
                .readiness(new Readiness()).meterRegistry(http.registry).accounts(http.accounts)
                .authAttempts(http.attempts).adminToken(TestServer.TOKEN)
                .userService(new WhoAmI()).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("userRealm");
    }

    /** Stands in for a module's user resource: answers with the authenticated user name. */
    private static final class WhoAmI implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/whoami", (req, res) -> res.send(UserContext.username(req)));
        }
    }
}
