package org.parley.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C9 administer accounts (GO-2) through the admin REST API over real HTTP; the admin door is
 * authenticated (GS-1) and refused logins are recorded ("Auto Registration: record login attempts");
 * one address per account identifies it (PP-45). Part of C1.
 */
@DisplayName("C9 administer accounts (GO-2), GS-1, C1, PP-45, Auto Registration: record login attempts")
class AdminApiTest {
    private final TestServer http = new TestServer(b -> b.adminService(new PingResource()));

    @AfterEach
    void stop() {
        http.close();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.has("detail")).isTrue();
    }

    @Test
    @DisplayName("create, read, update, delete one account (GO-2, PP-45)")
    void crud() {
        HttpResponse<String> created = http.post("/admin/v1/users", """
                {"username":"alice","password":"s3cret-pw","displayName":"Alice A","e164":"+44 20 7946 0000",
                 "aliases":["ally"]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/admin/v1/users/alice");
        JsonNode alice = json(created);
        assertThat(alice.get("username").asText()).isEqualTo("alice");
        assertThat(alice.get("e164").asText()).isEqualTo("+442079460000");
        assertThat(alice.get("aliases").get(0).asText()).isEqualTo("ally");
        assertThat(created.body()).doesNotContain("s3cret-pw").doesNotContainIgnoringCase("ha1");

        HttpResponse<String> read = http.get("/admin/v1/users/alice");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).get("displayName").asText()).isEqualTo("Alice A");

        HttpResponse<String> patched = http.patch("/admin/v1/users/alice", """
                {"displayName":"Alice B","aliases":["ally","al"]}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).get("displayName").asText()).isEqualTo("Alice B");
        assertThat(json(patched).get("aliases")).hasSize(2);
        assertThat(json(patched).get("e164").asText()).as("untouched by PATCH").isEqualTo("+442079460000");

        assertThat(http.patch("/admin/v1/users/alice", "{\"password\":\"another-pw\"}").statusCode()).isEqualTo(200);

        assertThat(http.delete("/admin/v1/users/alice").statusCode()).isEqualTo(204);
        assertProblem(http.get("/admin/v1/users/alice"), 404);
        assertProblem(http.delete("/admin/v1/users/alice"), 404);
        assertProblem(http.patch("/admin/v1/users/alice", "{\"displayName\":\"x\"}"), 404);
    }

    @Test
    @DisplayName("a taken identity is 409, invalid data 400 (PP-45)")
    void conflictsAndInvalidData() {
        assertThat(http.post("/admin/v1/users", "{\"username\":\"bob\",\"password\":\"pw-bob-123\",\"e164\":\"+15551234567\"}")
                .statusCode()).isEqualTo(201);
        assertProblem(http.post("/admin/v1/users", "{\"username\":\"bob\",\"password\":\"pw-bob-123\"}"), 409);
        assertProblem(http.post("/admin/v1/users",
                "{\"username\":\"carol\",\"password\":\"pw-carol-1\",\"e164\":\"+1 555 123 4567\"}"), 409);
        assertProblem(http.post("/admin/v1/users", "{\"username\":\"dave\",\"password\":\"pw-dave-1\",\"e164\":\"not a number\"}"), 400);
        assertProblem(http.post("/admin/v1/users", "{\"username\":\"erin\"}"), 400);
    }

    @Test
    @DisplayName("listing pages through accounts with a total")
    void paging() {
        for (String name : new String[] {"u1", "u2", "u3", "u4", "u5"}) {
            assertThat(http.post("/admin/v1/users", "{\"username\":\"" + name + "\",\"password\":\"password-" + name + "\"}")
                    .statusCode()).isEqualTo(201);
        }
        JsonNode page = json(http.get("/admin/v1/users?offset=1&limit=2"));
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("username").asText()).isEqualTo("u2");

        assertThat(json(http.get("/admin/v1/users")).get("items")).hasSize(5);
        assertProblem(http.get("/admin/v1/users?limit=abc"), 400);
        assertProblem(http.get("/admin/v1/users?offset=-1"), 400);
        assertProblem(http.get("/admin/v1/users?limit=0"), 400);
    }

    @Test
    @DisplayName("malformed JSON, wrong types and unknown fields are 400 problems, never 500")
    void badBodies() {
        assertProblem(http.post("/admin/v1/users", "{\"username\":"), 400);
        assertProblem(http.post("/admin/v1/users", "not json"), 400);
        assertProblem(http.post("/admin/v1/users", "[1,2]"), 400);
        assertProblem(http.post("/admin/v1/users", "null"), 400);
        assertProblem(http.post("/admin/v1/users", ""), 400);
        assertProblem(http.post("/admin/v1/users", "{\"username\":42,\"password\":\"pw-12345\"}"), 400);
        assertProblem(http.post("/admin/v1/users", "{\"username\":\"x1\",\"password\":\"pw-12345\",\"aliases\":\"one\"}"), 400);
        assertProblem(http.post("/admin/v1/users", "{\"username\":\"x1\",\"password\":\"pw-12345\",\"aliases\":[null]}"), 400);
        assertProblem(http.post("/admin/v1/users", "{\"username\":\"x1\",\"password\":\"pw-12345\",\"admin\":true}"), 400);
        assertProblem(http.patch("/admin/v1/users/nobody", "{\"displayName\":[]}"), 400);
    }

    @Test
    @DisplayName("an oversized body is 413")
    void oversizedBody() {
        String big = "{\"username\":\"big\",\"password\":\"" + "x".repeat(10_000) + "\"}";
        assertThat(http.post("/admin/v1/users", big).statusCode()).isEqualTo(413);
    }

    @Nested
    @DisplayName("the admin door needs the token (GS-1) and records refusals")
    class Authentication {
        @Test
        void missingOrWrongTokenIs401AndRecorded() {
            HttpResponse<String> none = http.send(http.request("/admin/v1/users").GET());
            assertProblem(none, 401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

            HttpResponse<String> wrong = http.send(http.request("/admin/v1/users")
                    .header("Authorization", "Bearer wrong-token-guess").header("User-Agent", "probe/1.0").GET());
            assertProblem(wrong, 401);
            assertProblem(http.send(http.request("/admin/v1/users")
                    .header("Authorization", "Basic " + TestServer.TOKEN).GET()), 401);
            assertProblem(http.send(http.request("/admin/v1/users/alice")
                    .header("Authorization", "Bearer " + TestServer.TOKEN + "x").DELETE()), 401);

            var recorded = http.attempts.list(Optional.empty(), 0, 10);
            assertThat(recorded.total()).isEqualTo(4);
            assertThat(recorded.items()).allSatisfy(attempt -> {
                assertThat(attempt.success()).isFalse();
                assertThat(attempt.door()).isEqualTo("http-admin");
                assertThat(attempt.source()).isEqualTo("127.0.0.1");
                assertThat(attempt.reason()).doesNotContain("wrong-token-guess").doesNotContain(TestServer.TOKEN);
            });
            assertThat(recorded.items()).extracting(AuthAttempt::userAgent).contains(Optional.of("probe/1.0"));

            JsonNode listed = json(http.get("/admin/v1/auth-attempts?identity=admin&limit=2"));
            assertThat(listed.get("total").asLong()).isEqualTo(4);
            assertThat(listed.get("items")).hasSize(2);
            assertThat(listed.get("items").get(0).get("door").asText()).isEqualTo("http-admin");
            assertThat(listed.toString()).doesNotContain("wrong-token-guess");
        }

        @Test
        @DisplayName("GS-4, issue 9 §3: a source guessing the admin token is slowed, then refused with 429 even with the right one; another address is not")
        void guessingTheTokenIsRefusedPerSource() throws Exception {
            GateSettings quick = new GateSettings(2, 4, 100, 30, Duration.ofMinutes(10), Duration.ofMinutes(5),
                    Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(32));
            try (TestServer guarded = new TestServer(b -> { }, quick)) {
                for (int i = 0; i < 4; i++) {
                    assertProblem(guarded.send(guarded.request("/admin/v1/users")
                            .header("Authorization", "Bearer guess-" + i).GET()), 401);
                }
                HttpResponse<String> refused = guarded.send(guarded.admin("/admin/v1/users").GET());
                assertProblem(refused, 429);
                assertThat(guarded.attempts.list(Optional.of("admin"), 0, 10).items())
                        .anySatisfy(a -> assertThat(a.reason()).isEqualTo(AuthGate.BLOCKED));
                HttpClient elsewhere = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
                HttpResponse<String> other = elsewhere.send(guarded.admin("/admin/v1/users").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(other.statusCode()).isEqualTo(200);
            }
        }

        @Test
        void contributedAndBuiltInResourcesShareTheTokenCheck() {
            assertThat(http.send(http.request("/admin/v1/ping").GET()).statusCode()).isEqualTo(401);
            HttpResponse<String> ping = http.get("/admin/v1/ping");
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.body()).isEqualTo("pong");
            assertThat(http.send(http.request("/admin/v1/openapi.json").GET()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("the OpenAPI 3.1 document describes every admin path")
    void openApi() {
        HttpResponse<String> response = http.get("/admin/v1/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json(response);
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.get("paths").has("/users")).isTrue();
        assertThat(doc.get("paths").has("/users/{name}")).isTrue();
        assertThat(doc.get("paths").has("/auth-attempts")).isTrue();
        assertThat(doc.at("/components/securitySchemes/adminToken/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    @DisplayName("unknown admin paths are 404 problems")
    void unknownPath() {
        assertThat(http.send(http.admin("/admin/v1/nothing-here").GET()).statusCode()).isEqualTo(404);
        assertThat(http.send(http.admin("/admin/v1/users").method("PUT", HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isIn(404, 405);
    }

    /** Stands in for a module's contributed admin resource (the registrar's /registrations). */
    private static final class PingResource implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/ping", (req, res) -> res.send("pong"));
        }
    }
}
