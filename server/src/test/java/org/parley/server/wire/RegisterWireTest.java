package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.accounts.digest.DigestAlgorithm;
import org.parley.server.TestServer;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * REGISTER over the wire with a bare client that writes every byte itself (C1; GU-1, GU-2 several
 * devices; PP-45 identities; GS-1 authentication, GS-4 brute force; RFC 3261 §10.3, RFC 7616,
 * RFC 5626, RFC 5627, RFC 3327; "Auto Registration: record registration and login attempts").
 * The server runs on a manual clock, so nonce and binding expiry are driven by the test.
 */
@DisplayName("C1, GU-1, GU-2, PP-45, GS-1, GS-4: REGISTER with digest over the wire")
class RegisterWireTest {
    static ManualScheduler clock;
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of("auth.failures-before-delay", "2",
                "auth.failures-before-block", "4", "auth.block-seconds", "300",
                // an operator requiring SHA-256 while keeping MD5 for older clients (config/parley.properties)
                "auth.algorithms", "SHA-256,MD5"));
        server.addUser("alice", "alice-secret", "+44 20 7946 0001", List.of("ally"));
        server.addUser("bob", "bob-secret-1", null, List.of());
        server.addUser("carol", "carol-secret", null, List.of());
        server.addUser("dave", "dave-secret1", null, List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private SipTestClient udp() throws IOException {
        return SipTestClient.udp(server.sipPort(Transport.UDP));
    }

    @Test
    @DisplayName("RFC 7616: challenge offers SHA-256 first, then MD5; both are accepted")
    void sha256AndMd5() throws IOException {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "alice");
            SipResponse challenge = reg.challenge("alice", reg.contact("a1"), "600", "");
            List<String> offers = challenge.headers().lines("WWW-Authenticate");
            assertThat(offers).hasSize(2);
            assertThat(offers.get(0)).contains("algorithm=SHA-256").contains("qop=\"auth\"").contains("realm=\"localhost\"");
            assertThat(offers.get(1)).contains("algorithm=MD5");
            SipResponse ok = reg.answer("alice", "alice-secret", reg.contact("a1"), "600", "");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.headers().values("Contact")).anyMatch(v -> v.contains("a1@127.0.0.1") && v.contains("expires=600"));

            Digest md5 = Digest.parse(offers.get(1));
            assertThat(md5.algorithm()).isEqualTo(DigestAlgorithm.MD5);
            assertThat(md5.nonce()).as("one nonce per 401 (RFC 7616 §3.3), shared by its offers as in §3.9.1's example")
                    .isEqualTo(Digest.parse(offers.get(0)).nonce());
            // the nonce-count counts the requests sent with the nonce, whatever their algorithm (§3.4): the second
            c.send(reg.request("alice", reg.contact("a1"), "0", "",
                    md5.authorization("REGISTER", "sip:localhost", "alice", "alice-secret", 2)));
            assertThat(c.receiveResponse().status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("GU-1/GU-2: several devices, q-values, refresh, unregister one, Contact * removes all")
    void severalDevices() throws IOException {
        try (SipTestClient phone = udp(); SipTestClient desk = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            Registration p = new Registration(phone, "bob");
            Registration d = new Registration(desk, "bob");
            assertThat(p.register("bob-secret-1", p.contact("phone") + ";q=0.9", "600", "").status()).isEqualTo(200);
            SipResponse both = d.register("bob-secret-1", d.contact("desk") + ";q=0.5", "900", "");
            assertThat(both.headers().values("Contact")).hasSize(2)
                    .anyMatch(v -> v.contains("phone@") && v.contains("q=0.9"))
                    .anyMatch(v -> v.contains("desk@") && v.contains("q=0.5"));

            SipResponse removed = d.answer("bob", "bob-secret-1", d.contact("desk"), "0", "");
            assertThat(removed.headers().values("Contact")).hasSize(1).allMatch(v -> v.contains("phone@"));

            SipResponse all = p.answer("bob", "bob-secret-1", "*", "0", "");
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.headers().values("Contact")).isEmpty();
        }
    }

    @Test
    @DisplayName("RFC 3261 §10.3: 423 with Min-Expires below the minimum; a query lists bindings")
    void intervalTooBrief() throws IOException {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "carol");
            reg.challenge("carol", reg.contact("c1"), "10", "");
            SipResponse r = reg.answer("carol", "carol-secret", reg.contact("c1"), "10", "");
            assertThat(r.status()).isEqualTo(423);
            assertThat(r.header("Min-Expires")).hasValue("60");
            SipResponse query = reg.answer("carol", "carol-secret", null, null, "");
            assertThat(query.status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("GS-1: a wrong password gets 403 after the challenge, and the attempt is recorded")
    void wrongPassword() throws Exception {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "dave");
            reg.challenge("dave", reg.contact("d1"), "600", "");
            SipResponse r = reg.answer("dave", "not-the-password", reg.contact("d1"), "600", "");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).isNotBlank();
            assertThat(server.admin("/admin/v1/auth-attempts?identity=dave"))
                    .contains("\"success\":false").contains("sip-register").contains("parley-wire-test");
        }
    }

    @Test
    @DisplayName("RFC 7616 §3.3: an old nonce gets 401 stale=true; a replayed nonce-count gets a fresh 401")
    void staleAndReplayedNonces() throws IOException {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "alice");
            reg.challenge("alice", reg.contact("s1"), "600", "");
            Digest old = reg.lastChallenge();
            clock.advance(Duration.ofMinutes(6));
            SipResponse stale = reg.answer("alice", "alice-secret", reg.contact("s1"), "600", "");
            assertThat(stale.status()).isEqualTo(401);
            assertThat(stale.headers().lines("WWW-Authenticate")).allMatch(h -> h.contains("stale=true"));

            reg.useChallenge(Digest.parse(stale.headers().lines("WWW-Authenticate").get(0)));
            assertThat(reg.answer("alice", "alice-secret", reg.contact("s1"), "600", "").status()).isEqualTo(200);
            reg.useChallenge(Digest.parse(stale.headers().lines("WWW-Authenticate").get(0)));
            SipResponse replay = reg.answer("alice", "alice-secret", reg.contact("s1"), "600", "");
            assertThat(replay.status()).isEqualTo(401);
            assertThat(replay.headers().lines("WWW-Authenticate")).noneMatch(h -> h.contains("stale=true"));
            assertThat(old.nonce()).isNotEqualTo(reg.lastChallenge().nonce());
        }
    }

    @Test
    @DisplayName("RFC 4475 §3.3.7: an unknown Authorization scheme gets a fresh challenge")
    void unknownScheme() throws IOException {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "alice");
            c.send(reg.request("alice", reg.contact("u1"), "600", "", "NoOneKnowsThisScheme opaque-data=here"));
            assertThat(c.receiveResponse().status()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("PP-45: the E.164 number and the alias register the same account; another's address is refused")
    void identities() throws IOException {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "alice");
            reg.challenge("+442079460001", reg.contact("e1"), "600", "");
            SipResponse byNumber = reg.answer("+442079460001", "alice-secret", reg.contact("e1"), "600", "");
            assertThat(byNumber.status()).isEqualTo(200);
            SipResponse byAlias = reg.answer("ally", "alice-secret", reg.contact("e2"), "600", "");
            assertThat(byAlias.status()).isEqualTo(200);
            assertThat(byAlias.headers().values("Contact")).anyMatch(v -> v.contains("e1@")).anyMatch(v -> v.contains("e2@"));
            SipResponse notHers = reg.answer("bob", "alice-secret", reg.contact("e3"), "600", "");
            assertThat(notHers.status()).isEqualTo(403);
            SipResponse nobody = reg.answer("nobody", "alice-secret", reg.contact("e3"), "600", "");
            assertThat(nobody.status()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("RFC 5626/5627/3327: outbound flow, public GRUU and Path are honoured")
    void outboundGruuPath() throws IOException {
        try (SipTestClient c = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            Registration reg = new Registration(c, "carol");
            String contact = reg.contact("o1") + ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\";reg-id=1";
            String extra = "Supported: outbound, gruu, path\nPath: <sip:edge.example.net;lr>\n";
            SipResponse ok = reg.register("carol-secret", contact, "600", extra);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("Require")).hasValue("outbound");
            assertThat(ok.headers().values("Path")).containsExactly("<sip:edge.example.net;lr>");
            assertThat(ok.headers().values("Contact")).anyMatch(v -> v.contains("pub-gruu=\"sip:carol@localhost;gr=urn:uuid:00000000-0000-1000-8000-000a95a0e128\""));
            assertThat(reg.answer("carol", "carol-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("Bindings expire on time (manual clock) and are listed with their access by the admin API")
    void expiryAndAdminListing() throws Exception {
        try (SipTestClient c = udp()) {
            Registration reg = new Registration(c, "dave");
            assertThat(reg.register("dave-secret1", reg.contact("x1"), "120",
                    "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=2620100000000001\n").status()).isEqualTo(200);
            String listed = server.admin("/admin/v1/registrations?aor=sip:dave@localhost");
            assertThat(listed).contains("x1@127.0.0.1").contains("\"transport\":\"UDP\"").contains("3GPP-E-UTRAN-FDD")
                    .contains("parley-wire-test");
            assertThat(server.admin("/admin/v1/openapi.json")).contains("\"/registrations\"");
            clock.advance(Duration.ofSeconds(121));
            assertThat(server.admin("/admin/v1/registrations?aor=sip:dave@localhost")).doesNotContain("x1@127.0.0.1");
        }
    }

    @Test
    @DisplayName("GS-4: failures from one source are delayed, then refused; another source is not affected")
    void bruteForce() throws IOException {
        try (SipTestClient attacker = SipTestClient.udpFrom("127.0.0.3", server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(attacker, "bob");
            reg.challenge("bob", reg.contact("b1"), "600", "");
            for (int i = 0; i < 2; i++) {
                assertThat(reg.answer("bob", "guess-" + i, reg.contact("b1"), "600", "").status()).isEqualTo(403);
            }
            reg.useChallenge(reg.lastChallenge());
            attacker.send(reg.request("bob", reg.contact("b1"), "600", "",
                    reg.lastChallenge().authorization("REGISTER", "sip:localhost", "bob", "guess-2", 5)));
            assertThat(attacker.silentFor(300)).as("third failure is delayed").isTrue();
            clock.advance(Duration.ofSeconds(10));
            assertThat(attacker.receiveResponse().status()).isEqualTo(403);
            attacker.send(reg.request("bob", reg.contact("b1"), "600", "",
                    reg.lastChallenge().authorization("REGISTER", "sip:localhost", "bob", "guess-3", 6)));
            assertThat(attacker.silentFor(300)).as("fourth failure is delayed too").isTrue();
            clock.advance(Duration.ofSeconds(10));
            assertThat(attacker.receiveResponse().status()).isEqualTo(403);
            attacker.send(reg.request("bob", reg.contact("b1"), "600", "",
                    reg.lastChallenge().authorization("REGISTER", "sip:localhost", "bob", "bob-secret-1", 7)));
            SipResponse blocked = attacker.receiveResponse();
            assertThat(blocked.status()).isEqualTo(403);
            assertThat(blocked.reason()).contains("Too many failed attempts");
        }
        try (SipTestClient other = udp()) {
            Registration reg = new Registration(other, "bob");
            assertThat(reg.register("bob-secret-1", reg.contact("b2"), "600", "").status()).isEqualTo(200);
            assertThat(reg.answer("bob", "bob-secret-1", "*", "0", "").status()).isEqualTo(200);
        }
    }
}
