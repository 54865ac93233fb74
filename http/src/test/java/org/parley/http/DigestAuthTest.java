package org.parley.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.NewAccount;
import org.parley.testkit.MutableClock;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP Digest at the user-facing doors over real HTTP on loopback: the client side is computed
 * here independently of the server's code (RFC 7616 §3.4.1), for SHA-256 and MD5.
 */
@DisplayName("RFC 4825 §9, RFC 7616, GS-1 HTTP Digest (SHA-256, MD5) at /xcap-root and /api/v1, Basic kept")
class DigestAuthTest {
    private static final String PASSWORD = "alice-pässword:1";
    private static final String XCAP = "/xcap-root/resource-lists/users/sip:alice@example.org/index";
    private static final String API = "/api/v1/whoami";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final TestServer http = new TestServer(b -> b.userRealm("example.org").clock(clock)
            .userService(new WhoAmI()).xcapService(new Who()));

    @BeforeEach
    void alice() {
        http.accounts.create(new NewAccount("alice", PASSWORD, Optional.empty(), Optional.empty(), List.of()));
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({XCAP + ", user alice", API + ", alice"})
    @DisplayName("no credentials: 401 with Digest SHA-256, Digest MD5 and Basic challenges, in that order")
    void challenges(String path, String expectedBody) {
        HttpResponse<String> none = get(path, null);
        assertThat(none.statusCode()).isEqualTo(401);
        List<String> offered = none.headers().allValues("WWW-Authenticate");
        assertThat(offered).hasSize(3);
        assertThat(offered.get(0)).startsWith("Digest ").contains("realm=\"example.org\"", "algorithm=SHA-256", "qop=\"auth\"")
                .doesNotContain("stale");
        assertThat(offered.get(1)).startsWith("Digest ").contains("realm=\"example.org\"", "algorithm=MD5", "qop=\"auth\"")
                .doesNotContain("stale");
        assertThat(offered.get(2)).isEqualTo("Basic realm=\"example.org\", charset=\"UTF-8\"");
        assertThat(Challenge.parse(offered.get(0)).nonce()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SHA-256, " + XCAP + ", user alice", "MD5, " + XCAP + ", user alice",
            "SHA-256, " + API + ", alice", "MD5, " + API + ", alice"})
    @DisplayName("the right answer passes, a nonce is reused with growing nc, a replayed nc and a wrong password are 401")
    void answer(String algorithm, String path, String expectedBody) {
        Challenge c = challenge(path, algorithm);

        HttpResponse<String> ok = get(path, c.authorization("GET", path, "alice", PASSWORD, 1));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(expectedBody);
        assertThat(get(path, c.authorization("GET", path, "alice", PASSWORD, 2)).statusCode())
                .as("the next nonce-count on the same nonce").isEqualTo(200);

        HttpResponse<String> replay = get(path, c.authorization("GET", path, "alice", PASSWORD, 2));
        assertThat(replay.statusCode()).as("replayed nc").isEqualTo(401);
        assertThat(replay.headers().allValues("WWW-Authenticate")).hasSize(3).noneMatch(h -> h.contains("stale"));

        HttpResponse<String> wrong = get(path, c.authorization("GET", path, "alice", "guess-" + PASSWORD, 3));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().allValues("WWW-Authenticate")).hasSize(3).first().asString().startsWith("Digest ");
        assertThat(get(path, c.authorization("GET", path, "mallory", PASSWORD, 4)).statusCode()).isEqualTo(401);
        assertThat(get(path, c.authorization("GET", path, "alice", PASSWORD, 5)).statusCode())
                .as("a failure does not burn the nonce").isEqualTo(200);

        String door = path.startsWith("/xcap-root") ? "xcap" : "http-user";
        List<AuthAttempt> recorded = http.attempts.list(Optional.empty(), 0, 20).items();
        assertThat(recorded).allSatisfy(a -> {
            assertThat(a.door()).isEqualTo(door);
            assertThat(a.success()).isFalse();
            assertThat(a.reason()).doesNotContain(PASSWORD).doesNotContain("guess");
        });
        assertThat(recorded).extracting(AuthAttempt::identity, AuthAttempt::reason).contains(
                org.assertj.core.groups.Tuple.tuple("alice", "nonce-count replayed"),
                org.assertj.core.groups.Tuple.tuple("alice", "bad-credentials"),
                org.assertj.core.groups.Tuple.tuple("mallory", "bad-credentials"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SHA-256", "MD5"})
    @DisplayName("a nonce past its 300 s is 401 with stale=true; the fresh nonce then passes")
    void staleNonce(String algorithm) {
        Challenge c = challenge(XCAP, algorithm);
        assertThat(get(XCAP, c.authorization("GET", XCAP, "alice", PASSWORD, 1)).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(301));

        HttpResponse<String> stale = get(XCAP, c.authorization("GET", XCAP, "alice", PASSWORD, 2));
        assertThat(stale.statusCode()).isEqualTo(401);
        List<String> offered = stale.headers().allValues("WWW-Authenticate");
        assertThat(offered.subList(0, 2)).allMatch(h -> h.startsWith("Digest ") && h.contains("stale=true"));
        assertThat(offered.get(2)).startsWith("Basic ");

        Challenge fresh = Challenge.parse(offered.stream().filter(h -> h.contains("algorithm=" + algorithm)).findFirst().orElseThrow());
        assertThat(fresh.stale()).isTrue();
        assertThat(get(XCAP, fresh.authorization("GET", XCAP, "alice", PASSWORD, 1)).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(301));
        HttpResponse<String> staleWrong = get(XCAP, fresh.authorization("GET", XCAP, "alice", "guess", 2));
        assertThat(staleWrong.headers().allValues("WWW-Authenticate"))
                .as("stale=true only vouches for a right answer").noneMatch(h -> h.contains("stale"));
    }

    @Test
    @DisplayName("the digest covers method and request-target as sent: another uri, another method or a raw query must match")
    void methodAndTarget() {
        Challenge c = challenge(XCAP, "SHA-256");
        String other = "/xcap-root/resource-lists/users/sip:bob@example.org/index";
        assertThat(get(XCAP, c.authorization("GET", other, "alice", PASSWORD, 1)).statusCode())
                .as("uri naming another resource").isEqualTo(401);
        assertThat(get(XCAP, c.authorization("PUT", XCAP, "alice", PASSWORD, 2)).statusCode())
                .as("hashed for another method").isEqualTo(401);
        String encoded = "/xcap-root/resource-lists/users/sip%3Aalice%40example.org/index?x=%41";
        assertThat(get(encoded, c.authorization("GET", encoded, "alice", PASSWORD, 3)).statusCode())
                .as("percent-encoding and query as sent").isEqualTo(200);
        String absolute = http.uri(XCAP).toString();
        assertThat(get(XCAP, c.authorization("GET", absolute, "alice", PASSWORD, 4)).statusCode())
                .as("absolute-form naming the same target").isEqualTo(200);
    }

    @Test
    @DisplayName("HTTP Basic still works at both doors, and the admin token at /xcap-root")
    void basicKept() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(get(XCAP, basic).body()).isEqualTo("user alice");
        assertThat(get(API, basic).body()).isEqualTo("alice");
        assertThat(get(XCAP, "Bearer " + TestServer.TOKEN).body()).isEqualTo("admin");
    }

    @Test
    @DisplayName("curl --digest -u alice:... reads /xcap-root")
    void curlDigest() throws Exception {
        assertThat(curlInstalled()).as("curl is needed for the curl --digest interoperability check: apt-get install curl"
                + " (./parley test installs it when run as root)").isTrue();
        List<String> command = List.of("curl", "-s", "--digest", "-u", "alice:" + PASSWORD,
                "-w", "\n%{http_code}", http.uri(XCAP).toString());
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = curl.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("user alice\n200");

        Process wrong = new ProcessBuilder("curl", "-s", "--digest", "-u", "alice:guess", "-o", "/dev/null",
                "-w", "%{http_code}", http.uri(XCAP).toString()).redirectErrorStream(true).start();
        try (InputStream in = wrong.getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("401");
        }
        assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static boolean curlInstalled() {
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> get(String path, String authorization) {
        var request = http.request(path).GET();
        return http.send(authorization == null ? request : request.header("Authorization", authorization));
    }

    /** The challenge for {@code algorithm} from a fresh 401. */
    private Challenge challenge(String path, String algorithm) {
        return get(path, null).headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.startsWith("Digest ") && h.contains("algorithm=" + algorithm + ","))
                .map(Challenge::parse).findFirst().orElseThrow();
    }

    /** One Digest challenge and the client-side answer to it (RFC 7616 §3.4.1, qop=auth). */
    private record Challenge(String realm, String nonce, String algorithm, boolean stale) {
        private static final Pattern PARAM = Pattern.compile("(\\w+)=(\"([^\"]*)\"|([^,\\s]+))");

        static Challenge parse(String header) {
            Map<String, String> p = new LinkedHashMap<>();
            Matcher m = PARAM.matcher(header);
            while (m.find()) {
                p.put(m.group(1).toLowerCase(), m.group(3) != null ? m.group(3) : m.group(4));
            }
            return new Challenge(p.get("realm"), p.get("nonce"), p.getOrDefault("algorithm", "MD5"),
                    "true".equalsIgnoreCase(p.get("stale")));
        }

        String authorization(String method, String uri, String user, String password, int nc) {
            String ha1 = h(user + ":" + realm + ":" + password);
            String ha2 = h(method + ":" + uri);
            String ncHex = String.format("%08x", nc);
            String cnonce = "cn" + nc + "-" + Long.toHexString(System.nanoTime());
            String response = h(ha1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
            return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                    + "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + ncHex
                    + ", cnonce=\"" + cnonce + "\"";
        }

        private String h(String data) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm.equals("MD5") ? "MD5" : "SHA-256")
                        .digest(data.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A user resource answering with the authenticated user name. */
    private static final class WhoAmI implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/whoami", (req, res) -> res.send(UserContext.username(req)));
        }
    }

    /** The XCAP stand-in: answers with who the door let in. */
    private static final class Who implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.any((req, res) -> res.send(UserContext.isAdmin(req) ? "admin"
                    : "user " + UserContext.user(req).orElse("?")));
        }
    }
}
