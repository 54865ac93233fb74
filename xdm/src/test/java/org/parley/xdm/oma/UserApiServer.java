package org.parley.xdm.oma;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountService;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.accounts.NewAccount;
import org.parley.http.HttpSettings;
import org.parley.http.Json;
import org.parley.http.ParleyHttpServer;
import org.parley.http.Readiness;
import org.parley.store.Database;

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

/** (UC 5.19 user API)
 * A ParleyHttpServer on an ephemeral loopback port with user resources mounted under /api/v1
 * as the assembly mounts them, and a client speaking as a user (password = user name + "-password").
 */
public final class UserApiServer implements AutoCloseable {
    public static final String DOMAIN = "example.org";

    private final ParleyHttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    public UserApiServer(Database database, AccountService accounts, List<HttpService> userServices) {
        ParleyHttpServer.Builder builder = ParleyHttpServer.builder()
                .settings(new HttpSettings("127.0.0.1", 0, 0, Optional.empty(), 65536))
                .readiness(new Readiness())
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .accounts(accounts)
                .authAttempts(new JdbiAuthAttemptLog(database))
                .adminToken("xdm-test-admin-token")
                .userRealm(DOMAIN);
        userServices.forEach(builder::userService);
        server = builder.build().start();
    }

    public static AccountService accounts(Database database, String... usernames) {
        AccountService accounts = new JdbiAccountService(database, DOMAIN);
        for (String name : usernames) {
            accounts.create(new NewAccount(name, name + "-password", Optional.empty(), Optional.empty(), List.of()));
        }
        return accounts;
    }

    public HttpRequest.Builder as(String username, String path) {
        String pair = Base64.getEncoder().encodeToString((username + ":" + username + "-password")
                .getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Basic " + pair);
    }

    public static HttpRequest.Builder json(HttpRequest.Builder request, String method, String body) {
        return request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode body(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
