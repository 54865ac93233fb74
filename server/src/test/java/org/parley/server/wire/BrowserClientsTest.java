package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.server.TestServer;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * JsSIP and SIP.js, the SIP libraries of web clients, in the system's headless Chromium (C14; GS-1
 * digest; RFC 7118 SIP over WebSocket; RFC 3428 pager mode, PP-13, UC 5.13): two users, each in
 * its own page, register and exchange a MESSAGE each way through Parley on the server's defaults,
 * over WS and over WSS (the self-signed test certificate accepted by a launch flag of the
 * throw-away browser profile). And the shut-out config/parley.properties documents: offered MD5
 * first and SHA-256 last, both libraries answer the last challenge, do not know SHA-256 and give
 * up.
 *
 * <p>The npm project driving them is src/test/browser (puppeteer-core, esbuild, the two
 * libraries, versions pinned in its package-lock.json); {@code npm ci} fills its node_modules once.
 */
@DisplayName("C14, GS-1, RFC 7118, PP-13: JsSIP and SIP.js in Chromium register on the defaults and exchange MESSAGEs")
class BrowserClientsTest {
    private static final Path PROJECT = BrowserProject.DIR;
    private static final String ALICE_PASSWORD = "alice secret phrase";

    @TempDir
    Path dir;

    @BeforeAll
    static void installOnce(@TempDir Path scratch) throws IOException, InterruptedException {
        BrowserProject.install(scratch);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"jssip, WS", "jssip, WSS", "sipjs, WS", "sipjs, WSS"})
    void registerAndExchangeMessages(String library, Transport transport) throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(), Map.of())) {
            addUsers(server);
            Run run = run(library, server, transport);

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.lines()).as(run.output()).containsExactly(
                    "{\"event\":\"registered\",\"user\":\"alice\",\"status\":200}",
                    "{\"event\":\"registered\",\"user\":\"bob\",\"status\":200}",
                    "{\"event\":\"sent\",\"user\":\"alice\",\"status\":200}",
                    "{\"event\":\"received\",\"user\":\"bob\",\"from\":\"sip:alice@localhost\",\"body\":\"Hello bob, from "
                            + library + " through Parley\"}",
                    "{\"event\":\"sent\",\"user\":\"bob\",\"status\":200}",
                    "{\"event\":\"received\",\"user\":\"alice\",\"from\":\"sip:bob@localhost\",\"body\":\"Hi alice, got it\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jssip", "sipjs"})
    @DisplayName("C14: with auth.algorithms=MD5,SHA-256 the library takes the last challenge, SHA-256, and cannot log in")
    void sha256LastShutsTheLibraryOut(String library) throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), new SystemScheduler(),
                Map.of("auth.algorithms", "MD5,SHA-256"))) {
            addUsers(server);
            Run run = run(library, server, Transport.WS);

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.lines()).as(run.output()).singleElement().asString()
                    .startsWith("{\"event\":\"error\",\"message\":\"registration failed: ");
            assertThat(server.admin("/admin/v1/registrations?aor=sip:alice@localhost")).contains("\"total\":0");
        }
    }

    private static void addUsers(TestServer server) {
        server.addUser("alice", ALICE_PASSWORD, null, List.of());
        server.addUser("bob", "bob-secret", null, List.of());
    }

    private record Run(int exitCode, String output) {
        List<String> lines() {
            return output.lines().filter(l -> l.startsWith("{")).toList();
        }
    }

    /** Runs the two users of {@code library} in a fresh browser profile; at most two minutes. */
    private Run run(String library, TestServer server, Transport transport) throws IOException, InterruptedException {
        String url = (transport == Transport.WSS ? "wss" : "ws") + "://127.0.0.1:" + server.sipPort(transport);
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path out = dir.resolve(library + ".out");
        Process p = new ProcessBuilder(ExternalTool.find("node", "nodejs"), "clients.mjs", library, url,
                profile.toAbsolutePath().toString(), ALICE_PASSWORD, "bob-secret")
                .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(library + " in Chromium did not finish in 2 minutes:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
