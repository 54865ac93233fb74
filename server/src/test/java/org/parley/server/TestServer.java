package org.parley.server;

import org.parley.config.Config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.accounts.NewAccount;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transport.Transport;
import org.parley.testkit.DatabaseTarget;

/**
 * A whole Parley server for wire tests (every C1-C5 test over the wire, RFC 3261 §18 on
 * loopback): ephemeral ports on 127.0.0.1, a temporary data directory, domain "localhost", and
 * the clock the test chooses.
 */
public final class TestServer implements AutoCloseable {
    /**
     * SIP, MSRP relay and MSRP endpoint listeners on ephemeral loopback ports, so tests never collide with anything on
     * 5060 or 2855; the plain MSRP WebSockets off, so a page over HTTP uses wss: unless a test turns them on
     * ({@link #PLAIN_MSRP_WS}).
     */
    public static final Map<String, String> EPHEMERAL_SIP = Map.ofEntries(Map.entry("sip.bind-address", "127.0.0.1"),
            Map.entry("sip.udp.port", "0"), Map.entry("sip.tcp.port", "0"), Map.entry("sip.tls.port", "0"),
            Map.entry("sip.ws.port", "0"), Map.entry("sip.wss.port", "0"),
            Map.entry("msrp.tls.port", "0"), Map.entry("msrp.wss.port", "0"), Map.entry("msrp.ws.port", ""),
            Map.entry("msrp.endpoint.tls.port", "0"), Map.entry("msrp.endpoint.wss.port", "0"),
            Map.entry("msrp.endpoint.ws.port", ""));
    /** The plain MSRP WebSockets of the relay and the endpoint on, on ephemeral loopback ports (as the defaults, but ephemeral). */
    public static final Map<String, String> PLAIN_MSRP_WS = Map.of("msrp.ws.port", "0", "msrp.endpoint.ws.port", "0");

    private final ParleyServer server;
    private final Path dataDir;

    private TestServer(ParleyServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start(Path dataDir, Scheduler scheduler, Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>(EPHEMERAL_SIP);
        flags.putAll(Map.of("data.dir", dataDir.toString(), "parley.domain", "localhost",
                "http.bind-address", "127.0.0.1", "http.port", "0", "https.port", "0",
                "admin.token", "test-admin-token"));
        flags.putAll(extra);
        ServerSettings settings = ServerSettings.from(Config.load(Optional.empty(), Map.of(), flags));
        return new TestServer(ParleyServer.start(settings, scheduler), dataDir);
    }

    /** Settings that point the server at one of the test databases (H2 or PostgreSQL). */
    public static Map<String, String> database(DatabaseTarget db) {
        return Map.of("db.url", db.jdbcUrl(), "db.user", db.user(), "db.password", db.password());
    }

    public ParleyServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int sipPort(Transport t) {
        return server.sipPort(t);
    }

    public void addUser(String name, String password, String e164, List<String> aliases) {
        server.context().accounts().create(new NewAccount(name, password, Optional.empty(),
                Optional.ofNullable(e164), aliases));
    }

    /** GET on the admin API with the test token; returns the body, failing on a non-200. */
    public String admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .header("Authorization", "Bearer test-admin-token").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Any HTTP call on the plain listener; {@code authorization} may be null. */
    public HttpResponse<String> http(String method, String path, String body, String authorization)
            throws IOException, InterruptedException {
        return http(method, path, body, authorization, "application/json");
    }

    /** As {@link #http(String, String, String, String)} with a body of another media type (XCAP documents). */
    public HttpResponse<String> http(String method, String path, String body, String authorization, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sets a user's messaging controls through the admin API (PUT, full replace), failing unless 200. */
    public void messagingControls(String user, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http("PUT", "/admin/v1/users/" + user + "/messaging", json, "Bearer test-admin-token");
        if (r.statusCode() != 200) {
            throw new AssertionError("PUT messaging controls of " + user + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    /**
     * Writes the owner's pres-rules over XCAP (RFC 5025) with one rule: {@code watcher} is
     * allowed and sees everything. Fails unless the PUT succeeds.
     */
    public void allowWatcher(String owner, String password, String watcher) throws IOException, InterruptedException {
        presRule(owner, password, watcher, "allow", "<cr:transformations><provide-services><all-services/>"
                + "</provide-services><provide-persons><all-persons/></provide-persons><provide-devices><all-devices/>"
                + "</provide-devices><provide-all-attributes/></cr:transformations>");
    }

    /**
     * Writes the owner's pres-rules over XCAP (RFC 5025 §3.2.1) with one rule: {@code watcher} is
     * blocked. Fails unless the PUT succeeds.
     */
    public void blockWatcher(String owner, String password, String watcher) throws IOException, InterruptedException {
        presRule(owner, password, watcher, "block", "");
    }

    private void presRule(String owner, String password, String watcher, String handling, String transformations)
            throws IOException, InterruptedException {
        xcapPut(owner, password, "pres-rules", "application/auth-policy+xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\">\n"
                + "<cr:rule id=\"" + handling + "\"><cr:conditions><cr:identity><cr:one id=\"" + watcher + "\"/></cr:identity>"
                + "</cr:conditions><cr:actions><sub-handling>" + handling + "</sub-handling></cr:actions>" + transformations
                + "</cr:rule>\n</cr:ruleset>\n");
    }

    /**
     * PUTs the owner's document {@code index} of an application usage over XCAP (RFC 4825 §8.2.1)
     * with the owner's credentials. Fails unless it is created or replaced.
     */
    public void xcapPut(String owner, String password, String auid, String contentType, String document)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.httpPort() + "/xcap-root/" + auid + "/users/sip:" + owner + "@localhost/index"))
                .PUT(HttpRequest.BodyPublishers.ofString(document))
                .header("Content-Type", contentType)
                .header("Authorization", basic(owner, password)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new AssertionError("PUT " + auid + " of " + owner + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop();
    }
}
