package org.parley.messaging.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.accounts.NewAccount;
import org.parley.http.HttpSettings;
import org.parley.http.Json;
import org.parley.http.ParleyHttpServer;
import org.parley.http.Readiness;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.UsageLog;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ParleyHttpServer on an ephemeral loopback port with the messaging resources mounted as the
 * assembly mounts them, accounts in a fresh H2, and a client speaking as the operator or a user.
 */
final class MessagingTestServer implements AutoCloseable {
    static final String TOKEN = "messaging-test-admin-token";
    static final String DOMAIN = "example.org";
    static final String ALICE_PASSWORD = "alice-pässword";
    static final String BOB_PASSWORD = "bob-password";

    /** The stores the resources are given, made once the database exists. */
    record Stores(ControlsStore controls, UsageLog usage) {
    }

    final Database database;
    final AccountService accounts;
    final AuthAttemptLog attempts;
    final Stores stores;
    private final ParleyHttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    MessagingTestServer() {
        this(db -> new Stores(new InMemoryControlsStore(), new InMemoryUsageLog()));
    }

    MessagingTestServer(Function<Database, Stores> makeStores) {
        DatabaseTarget target = TestDatabases.h2();
        database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        accounts = new JdbiAccountService(database, DOMAIN);
        attempts = new JdbiAuthAttemptLog(database);
        stores = makeStores.apply(database);
        accounts.create(new NewAccount("alice", ALICE_PASSWORD, Optional.empty(), Optional.empty(), List.of()));
        accounts.create(new NewAccount("bob", BOB_PASSWORD, Optional.empty(), Optional.empty(), List.of()));
        server = ParleyHttpServer.builder()
                .settings(new HttpSettings("127.0.0.1", 0, 0, Optional.empty(), 4096))
                .readiness(new Readiness())
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .accounts(accounts)
                .authAttempts(attempts)
                .adminToken(TOKEN)
                .adminService(new MessagingAdminResource(accounts, stores.controls(), stores.usage()))
                .userRealm(DOMAIN)
                .userService(new MessagingUserResource(stores.controls()))
                .build()
                .start();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    HttpRequest.Builder admin(String path) {
        return request(path).header("Authorization", "Bearer " + TOKEN);
    }

    HttpRequest.Builder user(String path, String username, String password) {
        String pair = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return request(path).header("Authorization", "Basic " + pair);
    }

    static HttpRequest.Builder json(HttpRequest.Builder request, String method, String body) {
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode body(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Asserts an RFC 9457 problem document with this status and returns it. */
    static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:parley:problem:");
        return problem;
    }

    @Override
    public void close() {
        server.stop();
        database.close();
    }
}
