package org.parley.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountDataService;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
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
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.accounts.gate.AuthGate;
import org.parley.accounts.gate.GateSettings;

/**
 * A real HTTP server on loopback for the admin and user API tests (GS-1, GO-2).
 * A real ParleyHttpServer on an ephemeral loopback port over a fresh H2 database, and a client for it. */
final class TestServer implements AutoCloseable {
    static final String TOKEN = "test-admin-token-0123456789";

    final Database database;
    final AccountService accounts;
    final AuthAttemptLog attempts;
    /** Tests register the data of other modules here; account deletion and the export go through it. */
    final AccountDataService accountData;
    final Readiness readiness = new Readiness();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ParleyHttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    TestServer() {
        this(b -> { });
    }

    TestServer(Consumer<ParleyHttpServer.Builder> customise) {
        this(customise, GateSettings.defaults());
    }

    /** With the guard's thresholds and delays of {@code guard} (tests of guessing keep them short). */
    TestServer(Consumer<ParleyHttpServer.Builder> customise, GateSettings guard) {
        DatabaseTarget target = TestDatabases.h2();
        database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        accounts = new JdbiAccountService(database, "example.org");
        attempts = new JdbiAuthAttemptLog(database);
        accountData = new AccountDataService(accounts, "example.org");
        ParleyHttpServer.Builder builder = ParleyHttpServer.builder()
                .settings(new HttpSettings("127.0.0.1", 0, 0, Optional.empty(), 4096))
                .readiness(readiness)
                .meterRegistry(registry)
                .accounts(accounts)
                .accountData(accountData)
                .authAttempts(attempts)
                .gate(new AuthGate(guard, attempts))
                .adminToken(TOKEN);
        customise.accept(builder);
        server = builder.build().start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path));
    }

    HttpRequest.Builder admin(String path) {
        return request(path).header("Authorization", "Bearer " + TOKEN);
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

    HttpResponse<String> get(String path) {
        return send(admin(path).GET());
    }

    HttpResponse<String> post(String path, String json) {
        return send(admin(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> patch(String path, String json) {
        return send(admin(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) {
        return send(admin(path).DELETE());
    }

    @Override
    public void close() {
        server.stop();
        database.close();
    }
}
