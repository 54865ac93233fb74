package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.testkit.msrp.PythonMsrpPeer;

/**
 * Store-and-forward survives a crash (MU-3, UC 5.13): a 202 means the message is on disk, so a
 * server killed with SIGKILL right after answering loses nothing, and the restarted server hands
 * every stored message over once, in order. So do chat rooms: what a room command was answered
 * 200 for is on disk. The server runs as its own OS process (the real
 * {@code parley start} entry point) because only a separate process can be killed without its
 * shutdown hook, its pools or its database getting a chance to flush anything. That entry point runs
 * the virtual threads on one carrier fewer than the CPUs, woken by platform-thread pollers (GIM-13,
 * {@code Carriers}): on a two-CPU machine these exchanges are served by a single carrier.
 */
@DisplayName("MU-3, UC 5.13, PP-39..PP-41: stored messages, pager and deferred session alike, and chat rooms survive kill -9; messages arrive exactly once")
class CrashSafetyTest {
    private static final String ADMIN_TOKEN = "crash-safety-admin-token";
    private static final int MESSAGES = 5;

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void storedMessagesSurviveSigkill() throws Exception {
        Server first = launch("first", Map.of());
        createUser(first, "alice", "alice-secret");
        createUser(first, "bob", "bob-secret");
        try (SipTestClient alice = SipTestClient.udp(first.sipPort())) {
            Pager pager = new Pager(alice, "alice", "alice-secret");
            for (int i = 1; i <= MESSAGES; i++) {
                SipResponse r = pager.send("sip:bob@localhost", "crash-safe " + i);
                assertThat(r.status()).as("bob is offline, so message %d is stored: %s", i, r.startLine()).isEqualTo(202);
            }
        }

        int carriers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        assertThat(first.output()).as("parley start chose its carriers (GIM-13)")
                .contains("virtual-thread carriers: " + carriers + ", pollers: platform threads)");

        // SIGKILL at once after the last 202: no shutdown hook, no graceful close of the store.
        assertThat(first.process().supportsNormalTermination())
                .as("destroy() would be SIGTERM here, so destroyForcibly() is SIGKILL").isTrue();
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).as("the killed server ended").isTrue();
        // A JVM that ends by a signal reports 128 + its number: 137 is SIGKILL (a graceful stop exits 0).
        assertThat(first.process().exitValue()).as(first.output()).isEqualTo(128 + 9);
        assertThat(first.output()).as("the shutdown hook never ran").doesNotContain("Parley is stopping");

        Server second = launch("second", Map.of());
        try (SipTestClient bob = SipTestClient.udp(second.sipPort())) {
            Registration reg = new Registration(bob, "bob");
            assertThat(reg.register("bob-secret", reg.contact("bob"), "600", "").status()).isEqualTo(200);

            Set<String> transactions = new HashSet<>();
            SipRequest summary = next(bob, transactions, second);
            assertThat(summary.from().uri().toString()).isEqualTo("sip:parley@localhost");
            assertThat(text(summary)).as("every message answered 202 is still there")
                    .contains("You have " + MESSAGES + " messages waiting.");
            List<String> got = new ArrayList<>();
            while (got.size() < MESSAGES) {
                got.add(text(next(bob, transactions, second)));
            }
            assertThat(got).containsExactly("crash-safe 1", "crash-safe 2", "crash-safe 3", "crash-safe 4", "crash-safe 5");
            assertThat(bob.silentFor(1000)).as("nothing is delivered twice").isTrue();
        }
    }

    @Test
    @DisplayName("MU-3, RFC 4975 §7.2: every SEND of a deferred session answered 200 survives kill -9, in order")
    void deferredSessionMessagesSurviveSigkill() throws Exception {
        Server first = launch("deferred-first", Map.of("PARLEY_MSRP_ENDPOINT_TCP_PORT", "0"));
        createUser(first, "alice", "alice-secret");
        createUser(first, "bob", "bob-secret");
        String mine = "msrp://127.0.0.1:9/cr4sh53ss10n;tcp";
        try (SipTestClient alice = SipTestClient.udp(first.sipPort())) {
            SipResponse ok = new MsrpInvite(alice, "alice", "alice-secret").send("sip:bob@localhost",
                    MsrpInvite.offer(mine, "sendrecv").getBytes(StandardCharsets.UTF_8), "");
            assertThat(ok.status()).as(ok.startLine()).isEqualTo(200);
            java.util.regex.Matcher path = java.util.regex.Pattern.compile("a=path:(msrp://[^:]+:(\\d+)/\\S+)")
                    .matcher(new String(ok.body(), StandardCharsets.UTF_8));
            assertThat(path.find()).isTrue();
            try (PythonMsrpPeer peer = PythonMsrpPeer.start()) {
                peer.command("connect", Map.of("transport", "tcp", "host", "127.0.0.1", "port", path.group(2),
                        "uri", mine));
                for (int i = 1; i <= MESSAGES; i++) {
                    List<String> tids = peer.send(path.group(1), "text/plain", ("deferred " + i)
                            .getBytes(StandardCharsets.UTF_8), 2048, "no").tids();
                    PythonMsrpPeer.Reply r = peer.next(Duration.ofSeconds(10));
                    assertThat(r.get("tid")).isEqualTo(tids.getFirst());
                    assertThat(r.status()).as("message %d acknowledged", i).isEqualTo(200);
                }
                // SIGKILL right after the last 200, the MSRP connection still open
                first.process().destroyForcibly();
                assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(first.process().exitValue()).as(first.output()).isEqualTo(128 + 9);

        Server second = launch("deferred-second", Map.of());
        try (SipTestClient bob = SipTestClient.udp(second.sipPort())) {
            Registration reg = new Registration(bob, "bob");
            assertThat(reg.register("bob-secret", reg.contact("bob"), "600", "").status()).isEqualTo(200);
            Set<String> transactions = new HashSet<>();
            assertThat(text(next(bob, transactions, second))).contains("You have " + MESSAGES + " messages waiting.");
            List<String> got = new ArrayList<>();
            while (got.size() < MESSAGES) {
                got.add(text(next(bob, transactions, second)));
            }
            assertThat(got).containsExactly("deferred 1", "deferred 2", "deferred 3", "deferred 4", "deferred 5");
            assertThat(bob.silentFor(1000)).as("nothing is delivered twice").isTrue();
        }
    }

    @Test
    @DisplayName("PP-39..PP-41, PP-38: a chat room, its members, roles, bans and history survive kill -9 once answered 200")
    void roomsSurviveSigkill() throws Exception {
        Server first = launch("rooms-first", Map.of());
        for (String user : List.of("alice", "bob", "carol")) {
            createUser(first, user, user + "-secret");
        }
        String room = "sip:room_crash@groups.localhost";
        try (SipTestClient a = SipTestClient.udp(first.sipPort()); SipTestClient b = SipTestClient.udp(first.sipPort());
             SipTestClient c = SipTestClient.udp(first.sipPort())) {
            Pager alice = new Pager(a, "alice", "alice-secret");
            Pager bob = new Pager(b, "bob", "bob-secret");
            Pager carol = new Pager(c, "carol", "carol-secret");
            for (var step : List.of(Map.entry(alice, "#create"), Map.entry(bob, "#join"), Map.entry(carol, "#join"),
                    Map.entry(alice, "#admin bob"), Map.entry(alice, "#ban carol"), Map.entry(bob, "#topic kept"),
                    Map.entry(alice, "kept message"))) {
                SipResponse r = step.getKey().send(room, step.getValue());
                assertThat(r.status()).as(step.getValue() + ": " + r.startLine()).isEqualTo(200);
            }
        }
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).as("the killed server ended").isTrue();
        assertThat(first.process().exitValue()).as(first.output()).isEqualTo(128 + 9);

        Server second = launch("rooms-second", Map.of());
        HttpResponse<String> got = user(second, "GET", "/api/v1/rooms/crash", "alice", null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(got.body()).contains("\"topic\":\"kept\"", "\"screenName\":\"bob\",\"uri\":\"sip:bob@localhost\","
                + "\"role\":\"administrator\"").doesNotContain("carol");
        assertThat(user(second, "POST", "/api/v1/rooms/crash/members", "carol", "{\"screenName\":\"other\"}")
                .statusCode()).as("still banned").isEqualTo(403);
        assertThat(user(second, "GET", "/api/v1/rooms/crash/history", "bob", null).body()).contains("kept message");
    }

    private HttpResponse<String> user(Server server, String method, String path, String user, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .header("Authorization", org.parley.server.TestServer.basic(user, user + "-secret"))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The next request of a new transaction, answered 200 at once. A retransmission of a request
     * already answered (same branch) is the same transaction, not a second delivery: it is
     * answered again and skipped.
     */
    private static SipRequest next(SipTestClient device, Set<String> transactions, Server server) throws IOException {
        while (true) {
            SipRequest m = (SipRequest) device.poll(5000).orElseGet(() -> fail(
                    "no further MESSAGE within 5 s; the restarted server said:\n" + server.output()));
            device.send(m.createResponse(200, "b"));
            if (transactions.add(m.topVia().branch().orElseThrow())) {
                return m;
            }
        }
    }

    private static String text(SipRequest m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }

    /** One server process and the ports it was told to use. */
    private record Server(Process process, int sipPort, int httpPort, Path log) {
        String output() {
            try {
                return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }
    }

    /**
     * Starts {@code parley start} in a new JVM (the one running this test, on the test class
     * path) on the shared data directory, and waits until /health answers 200.
     */
    private Server launch(String name, Map<String, String> extraEnv) throws Exception {
        int sipPort = Sipp.freePort();
        int httpPort = Sipp.freePort();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.parley.server.Main", "start", "--data-dir", dataDir.toString(), "--domain", "localhost",
                "--sip-port", Integer.toString(sipPort), "--http-port", Integer.toString(httpPort));
        Map<String, String> env = pb.environment();
        // Only the settings below: none inherited from the shell (a PARLEY_DB_URL would point elsewhere).
        env.keySet().removeIf(k -> k.startsWith("PARLEY_"));
        // every listener but the two the test talks to on an ephemeral port: a server already running
        // on the defaults (./parley start beside ./parley test) must not make this one fail to start
        env.putAll(Map.of("PARLEY_ADMIN_TOKEN", ADMIN_TOKEN,
                "PARLEY_SIP_BIND_ADDRESS", "127.0.0.1", "PARLEY_HTTP_BIND_ADDRESS", "127.0.0.1",
                "PARLEY_SIP_TLS_PORT", "0", "PARLEY_SIP_WS_PORT", "0", "PARLEY_SIP_WSS_PORT", "0",
                "PARLEY_HTTPS_PORT", "0", "PARLEY_MSRP_TLS_PORT", "0", "PARLEY_MSRP_WSS_PORT", "0"));
        env.putAll(Map.of("PARLEY_MSRP_ENDPOINT_TLS_PORT", "0", "PARLEY_MSRP_ENDPOINT_WSS_PORT", "0"));
        env.putAll(extraEnv);
        Path log = logs.resolve(name + ".log");
        Process p = pb.directory(logs.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        started.add(p);
        Server server = new Server(p, sipPort, httpPort, log);
        awaitHealthy(server);
        return server;
    }

    /** Polls /health (bounded: a start takes seconds, over 30 s on a loaded 2-CPU machine; 90 s means it never will). */
    private void awaitHealthy(Server server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) {
                fail("the server exited with " + server.process().exitValue() + " before it was healthy:\n" + server.output());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException | java.net.http.HttpTimeoutException notYet) {
                // not listening yet
            } catch (java.net.ProtocolException selfConnected) {
                // not listening yet either: on loopback a connection to a port nobody listens on can meet
                // itself (TCP simultaneous open, when the kernel picks the target port as the client's own
                // ephemeral port) and read back its own request as the answer — seen once in a full run
            }
            Thread.sleep(100);
        }
        fail("/health did not answer 200 within 90 s:\n" + server.output());
    }

    private void createUser(Server server, String username, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/admin/v1/users"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
