package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.sip.transaction.SystemScheduler;

/**
 * CORS for pages of other origins (issue 12: a documented setting, off by default): with
 * web.cors.allowed-origins set, a preflight from a named origin is answered before the
 * credentials check (it never carries credentials, so a 401 would stop every call), and the
 * real call is readable by that page; any other origin, and every origin by default, gets nothing.
 */
@DisplayName("GIM-20, UC 5.19.8, Fetch standard CORS: web.cors.allowed-origins — preflight without 401 for a named origin, nothing for others or by default")
class CorsTest {
    private static final String PAGE = "https://chat.example.org";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    @DisplayName("a named origin: the preflight of a bearer call to /api/v1 and /xcap-root is 204 with the allowed methods and headers")
    void preflightOfANamedOrigin() throws Exception {
        try (TestServer server = TestServer.start(dir, new SystemScheduler(), Map.of("web.cors.allowed-origins", PAGE))) {
            for (String path : List.of("/api/v1/contacts", "/xcap-root/resource-lists/users/sip:alice@localhost/index")) {
                HttpResponse<String> preflight = preflight(server, path, PAGE);
                assertThat(preflight.statusCode()).as(path).isEqualTo(204);
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH", "PUT", "DELETE");
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                        .contains("Authorization", "Content-Type", "If-Match");
                assertThat(preflight.headers().allValues("Vary")).contains("Origin");
            }
            server.addUser("alice", "alice secret phrase", null, List.of());
            HttpResponse<String> call = client.send(HttpRequest.newBuilder(uri(server, "/api/v1/contacts"))
                    .header("Origin", PAGE).header("Authorization", TestServer.basic("alice", "alice secret phrase")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).isEqualTo(200);
            assertThat(call.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
            assertThat(call.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("ETag");
            // a failed call is readable too, so that the page can say why
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(uri(server, "/api/v1/contacts"))
                    .header("Origin", PAGE).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
        }
    }

    @Test
    @DisplayName("another origin, and the admin API for any origin: no CORS headers, the preflight meets the credentials check")
    void otherOriginsGetNothing() throws Exception {
        try (TestServer server = TestServer.start(dir, new SystemScheduler(), Map.of("web.cors.allowed-origins", PAGE))) {
            HttpResponse<String> stranger = preflight(server, "/api/v1/contacts", "https://evil.example.net");
            assertThat(stranger.statusCode()).isEqualTo(401);
            assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> admin = preflight(server, "/admin/v1/users", PAGE);
            assertThat(admin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    @DisplayName("the default (no origin configured): CORS is off, even for an origin that asks")
    void offByDefault() throws Exception {
        try (TestServer server = TestServer.start(dir, new SystemScheduler(), Map.of())) {
            HttpResponse<String> preflight = preflight(server, "/api/v1/contacts", PAGE);
            assertThat(preflight.statusCode()).isEqualTo(401);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    private HttpResponse<String> preflight(TestServer server, String path, String origin) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(TestServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.server().httpPort() + path);
    }
}
