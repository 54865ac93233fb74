package org.parley.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;
import org.parley.accounts.Account;
import org.parley.accounts.AccountData;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.NewAccount;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber's own account over real HTTP: password change (issue 14 §3), export (PP2-5) and,
 * for the operator, deletion of everything (issue 9 §7), each in the OpenAPI document.
 */
@DisplayName("Account lifecycle at /api/v1/me and /admin/v1/users: password change, export, deletion (PP2-5, GS-1)")
class AccountSelfServiceTest {
    private static final String PASSWORD = "correct horse";
    private static final String NEW_PASSWORD = "battery staple";

    private final TestServer http = new TestServer(b -> b.userRealm("example.org"));
    private final List<String> erased = new ArrayList<>();

    @BeforeEach
    void accounts() {
        http.accounts.create(new NewAccount("alice", PASSWORD, Optional.empty(), Optional.empty(), List.of()));
        http.accounts.create(new NewAccount("bob", "bob-password", Optional.empty(), Optional.empty(), List.of()));
        http.accountData.register(new AccountData() {
            @Override
            public String section() {
                return "notes";
            }

            @Override
            public Object export(Account account) {
                return List.of(Map.of("text", "a note of " + account.username()));
            }

            @Override
            public void erase(Account account) {
                erased.add(account.username());
            }
        });
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> changePassword(String authorization, String json) {
        return changePassword(http, authorization, json);
    }

    private HttpResponse<String> get(String path, String authorization) {
        return http.send(http.request(path).header("Authorization", authorization).GET());
    }

    private String token(String authorization) throws Exception {
        HttpResponse<String> issued = http.send(http.request("/api/v1/tokens").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        return "Bearer " + Json.mapper().readTree(issued.body()).get("access_token").asText();
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    @Test
    @DisplayName("issue 14 §3: with the current password the user sets a new one; the old one stops working at once")
    void changesThePasswordWithTheCurrentOne() {
        HttpResponse<String> changed = changePassword(basic("alice", PASSWORD),
                "{\"currentPassword\":\"correct horse\",\"newPassword\":\"battery staple\"}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
        assertThat(get("/api/v1/me/export", basic("alice", PASSWORD)).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/me/export", basic("alice", NEW_PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(http.accounts.credentials("alice").orElseThrow().matches(NEW_PASSWORD)).isTrue();
        assertThat(http.accounts.credentials("bob").orElseThrow().matches("bob-password")).isTrue();
    }

    @Test
    @DisplayName("issue 14 §3: a wrong current password is 403 and recorded; policy and malformed bodies are 400")
    void refusesWrongCurrentPasswordAndBadInput() throws Exception {
        problem(changePassword(basic("alice", PASSWORD), "{\"currentPassword\":\"guess\",\"newPassword\":\"battery staple\"}"), 403);
        List<AuthAttempt> attempts = http.attempts.list(Optional.of("alice"), 0, 10).items();
        assertThat(attempts).anySatisfy(a -> {
            assertThat(a.door()).isEqualTo(MeResource.DOOR);
            assertThat(a.success()).isFalse();
            assertThat(a.reason()).isEqualTo(AuthGate.BAD_CREDENTIALS);
        });

        assertThat(problem(changePassword(basic("alice", PASSWORD),
                "{\"currentPassword\":\"correct horse\",\"newPassword\":\"short\"}"), 400).get("detail").asText())
                .contains("at least 8");
        for (String bad : List.of("", "{", "[]", "null", "{\"currentPassword\":\"correct horse\"}",
                "{\"newPassword\":\"battery staple\"}", "{\"currentPassword\":1,\"newPassword\":\"battery staple\"}",
                "{\"currentPassword\":\"correct horse\",\"newPassword\":\"battery staple\",\"admin\":true}",
                "{\"currentPassword\":\"correct horse\",\"newPassword\":\"\"}")) {
            assertThat(changePassword(basic("alice", PASSWORD), bad).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(http.accounts.credentials("alice").orElseThrow().matches(PASSWORD)).as("unchanged").isTrue();
        assertThat(changePassword("Basic bm9ib2R5Om5vYm9keQ==", "{}").statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("GS-4, issue 9 §3: a token holder guessing the current password is slowed, then refused with 429 even when right")
    void guessingTheCurrentPasswordIsRefused() throws Exception {
        GateSettings quick = new GateSettings(2, 3, 100, 30, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(32));
        try (TestServer guarded = new TestServer(b -> b.userRealm("example.org"), quick)) {
            guarded.accounts.create(new NewAccount("carol", PASSWORD, Optional.empty(), Optional.empty(), List.of()));
            HttpResponse<String> issued = guarded.send(guarded.request("/api/v1/tokens")
                    .header("Authorization", basic("carol", PASSWORD)).POST(HttpRequest.BodyPublishers.noBody()));
            String stolen = "Bearer " + Json.mapper().readTree(issued.body()).get("access_token").asText();
            for (int i = 0; i < 3; i++) {
                assertThat(changePassword(guarded, stolen, "{\"currentPassword\":\"guess " + i
                        + "\",\"newPassword\":\"battery staple\"}").statusCode()).isEqualTo(403);
            }
            HttpResponse<String> refused = changePassword(guarded, stolen,
                    "{\"currentPassword\":\"correct horse\",\"newPassword\":\"battery staple\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(guarded.accounts.credentials("carol").orElseThrow().matches(PASSWORD)).as("unchanged").isTrue();
        }
    }

    private static HttpResponse<String> changePassword(TestServer server, String authorization, String json) {
        return server.send(server.request("/api/v1/me/password").header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    @DisplayName("issue 14 §3: bearer tokens issued before a password change stop working; new ones work")
    void aPasswordChangeRevokesEarlierTokens() throws Exception {
        String before = token(basic("alice", PASSWORD));
        String bobs = token(basic("bob", "bob-password"));
        assertThat(get("/api/v1/me/export", before).statusCode()).isEqualTo(200);

        // the current password is needed even with a token
        problem(changePassword(before, "{\"currentPassword\":\"nope nope\",\"newPassword\":\"battery staple\"}"), 403);
        assertThat(changePassword(before, "{\"currentPassword\":\"correct horse\",\"newPassword\":\"battery staple\"}")
                .statusCode()).isEqualTo(204);

        HttpResponse<String> refused = get("/api/v1/me/export", before);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().allValues("WWW-Authenticate").getFirst()).contains("error=\"invalid_token\"");
        assertThat(http.attempts.list(Optional.of("alice"), 0, 10).items())
                .anySatisfy(a -> assertThat(a.reason()).isEqualTo("password-changed"));
        assertThat(get("/api/v1/me/export", token(basic("alice", NEW_PASSWORD))).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/me/export", bobs).statusCode()).as("other users' tokens live on").isEqualTo(200);
    }

    @Test
    @DisplayName("PP2-5: the export is the account and every registered section as one JSON document, never a credential")
    void exportsTheUsersOwnData() throws Exception {
        HttpResponse<String> export = get("/api/v1/me/export", basic("alice", PASSWORD));

        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(export.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(export.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"parley-alice.json\"");
        JsonNode document = Json.mapper().readTree(export.body());
        assertThat(document.fieldNames()).toIterable().containsExactly("account", "notes");
        assertThat(document.get("account").get("username").asText()).isEqualTo("alice");
        assertThat(document.get("account").get("addresses").get(0).asText()).isEqualTo("sip:alice@example.org");
        assertThat(document.get("notes").get(0).get("text").asText()).isEqualTo("a note of alice");
        String credentials = http.accounts.credentials("alice").orElseThrow().ha1Sha256();
        assertThat(export.body()).doesNotContain(credentials).doesNotContainIgnoringCase("ha1").doesNotContain(PASSWORD);
    }

    @Test
    @DisplayName("issue 9 §7: the admin's DELETE erases the account's data in every module, then the account")
    void adminDeletionErasesEverything() throws Exception {
        assertThat(http.delete("/admin/v1/users/alice").statusCode()).isEqualTo(204);

        assertThat(erased).containsExactly("alice");
        assertThat(http.get("/admin/v1/users/alice").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/me/export", basic("alice", PASSWORD)).statusCode()).isEqualTo(401);
        problem(http.delete("/admin/v1/users/alice"), 404);
        assertThat(erased).containsExactly("alice");
        assertThat(http.get("/admin/v1/users/bob").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the OpenAPI document describes the password change and the export")
    void inTheOpenApiDocument() throws Exception {
        JsonNode paths = Json.mapper().readTree(http.get("/admin/v1/openapi.json").body()).get("paths");

        assertThat(paths.get("/me/password").get("post").get("responses").fieldNames()).toIterable()
                .contains("204", "400", "401", "403");
        assertThat(paths.get("/me/export").get("get").get("responses").fieldNames()).toIterable().contains("200", "401");
        assertThat(paths.get("/users/{name}").get("delete").get("description").asText()).contains("XCAP");
    }
}
