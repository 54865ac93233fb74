package org.parley.xdm.xcap;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.accounts.NewAccount;
import org.parley.http.HttpSettings;
import org.parley.http.ParleyHttpServer;
import org.parley.http.Readiness;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;
import org.parley.testkit.TestDatabases;
import org.parley.xdm.usage.ietf.IetfUsages;
import org.parley.xdm.usage.ietf.ServiceUris;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** (RFC 4825) A ParleyHttpServer on loopback with the XCAP service over a fresh H2 database, users alice and bob. */
public final class XcapTestServer implements AutoCloseable {
    public static final String TOKEN = "xcap-test-admin-token-0123456789";
    public static final String ALICE = "sip:alice@example.org";
    public static final String BOB = "sip:bob@example.org";

    public final Database database;
    public final XcapService xcap;
    private final ParleyHttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    public XcapTestServer() {
        DatabaseTarget target = TestDatabases.h2();
        database = Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
        JdbiAccountService accounts = new JdbiAccountService(database, "example.org");
        accounts.create(new NewAccount("alice", "alice-password", Optional.empty(), Optional.empty(), List.of()));
        accounts.create(new NewAccount("bob", "bob-password", Optional.empty(), Optional.empty(), List.of()));
        JdbiXcapStore store = new JdbiXcapStore(database, Clock.systemUTC());
        xcap = new XcapService(store, new ApplicationUsages(IetfUsages.all(store,
                new ServiceUris("example.org", user -> accounts.resolve(user).isPresent()))));
        server = ParleyHttpServer.builder()
                .settings(new HttpSettings("127.0.0.1", 0, 0, Optional.empty(), 65536))
                .readiness(new Readiness())
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .accounts(accounts)
                .authAttempts(new JdbiAuthAttemptLog(database))
                .adminToken(TOKEN)
                .userRealm("example.org")
                .xcapService(new XcapResource(xcap, "example.org", AccessRule.NONE))
                .build().start();
    }

    public int port() {
        return server.port();
    }

    /** A request with alice's credentials; {@code path} is below /xcap-root and already percent-encoded. */
    public HttpRequest.Builder alice(String path) {
        return as("alice", "alice-password", path);
    }

    public HttpRequest.Builder as(String user, String password, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/xcap-root" + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/xcap-root" + path))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public static HttpRequest.Builder put(HttpRequest.Builder request, String contentType, String body) {
        return request.header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body));
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

    @Override
    public void close() {
        server.stop();
        database.close();
    }
}
