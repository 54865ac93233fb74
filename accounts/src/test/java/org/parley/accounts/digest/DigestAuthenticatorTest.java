package org.parley.accounts.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.accounts.DigestCredentials;
import org.parley.accounts.DigestHashes;

@DisplayName("RFC 7616 §3.3-§3.4, RFC 8760, RFC 3261 §22.4, RFC 4475 §3.3.7, GS-4: DigestAuthenticator")
class DigestAuthenticatorTest {
    static final String REALM = "http-auth@example.org";
    static final String USER = "Mufasa";
    static final String PASSWORD = "Circle of Life";
    static final String URI = "sip:example.org";
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration TTL = Duration.ofSeconds(300);

    /** Credentials of one account, from its password, the way the account store keeps them. */
    static final Function<String, Optional<DigestCredentials>> CREDENTIALS = u -> u.equals(USER)
            ? Optional.of(new DigestCredentials(USER, REALM, DigestHashes.ha1(DigestHashes.MD5, USER, REALM, PASSWORD),
                    DigestHashes.ha1(DigestHashes.SHA_256, USER, REALM, PASSWORD)))
            : Optional.empty();

    final NonceService nonces = new NonceService(TTL);
    final DigestAuthenticator auth = new DigestAuthenticator(REALM, List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5),
            nonces, CREDENTIALS);

    /** What a client answers: qop=auth with the given nonce-count, or RFC 2069 style when nc is null. */
    static String authorization(DigestAlgorithm a, String user, String password, String nonce, String nc, String method) {
        String ha1 = a.hash(user + ":" + REALM + ":" + password);
        String ha2 = a.hash(method + ":" + URI);
        String cnonce = "0a4f113b";
        if (nc == null) {
            return "Digest username=\"" + user + "\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + URI
                    + "\", response=\"" + a.hash(ha1 + ":" + nonce + ":" + ha2) + "\", algorithm=" + a.token();
        }
        String response = a.hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + URI
                + "\", response=\"" + response + "\", algorithm=" + a.token() + ", qop=auth, nc=" + nc
                + ", cnonce=\"" + cnonce + "\"";
    }

    static String authorization(DigestAlgorithm a, String nonce, String nc) {
        return authorization(a, USER, PASSWORD, nonce, nc, "REGISTER");
    }

    AuthOutcome verify(String... headers) {
        return auth.verify("REGISTER", List.of(headers), T0);
    }

    static void assertChallenge(AuthOutcome o, boolean stale) {
        assertThat(o).isInstanceOfSatisfying(AuthOutcome.Challenge.class, c -> assertThat(c.stale()).isEqualTo(stale));
    }

    @Nested
    @DisplayName("challenges (RFC 7616 §3.3, §3.7)")
    class Challenges {
        @Test
        @DisplayName("one challenge per offered algorithm, the preferred (SHA-256) first, each with a live nonce and qop=auth")
        void onePerAlgorithm() {
            List<String> cs = auth.challenges(false, T0);
            assertThat(cs).hasSize(2);
            DigestParams sha = DigestParams.parse(cs.get(0)).orElseThrow();
            DigestParams md5 = DigestParams.parse(cs.get(1)).orElseThrow();
            assertThat(sha.get("algorithm")).contains("SHA-256");
            assertThat(md5.get("algorithm")).contains("MD5");
            for (DigestParams p : List.of(sha, md5)) {
                assertThat(p.get("realm")).contains(REALM);
                assertThat(p.get("qop")).contains("auth");
                assertThat(p.get("stale")).isEmpty();
                assertThat(nonces.check(p.get("nonce").orElseThrow(), -1, T0)).isEqualTo(NonceService.Check.VALID);
            }
            assertThat(sha.get("nonce")).as("RFC 7616 §3.3: one nonce per 401").isEqualTo(md5.get("nonce"));
            assertThat(DigestParams.parse(auth.challenges(false, T0).get(0)).orElseThrow().get("nonce"))
                    .as("a new one for the next 401").isNotEqualTo(sha.get("nonce"));
        }

        @Test
        @DisplayName("RFC 7616 §3.4.3: HA2 is hashed for each request's own method and uri, the last one kept only while they repeat")
        void ha2PerRequest() {
            for (int round = 0; round < 3; round++) {
                String nonce = nonces.issue(T0);
                assertThat(verify(authorization(DigestAlgorithm.MD5, nonce, "00000001")))
                        .isInstanceOf(AuthOutcome.Authenticated.class);
                assertThat(auth.verify("MESSAGE", List.of(authorization(DigestAlgorithm.MD5, nonce, "00000002")), T0))
                        .as("a REGISTER's answer offered for a MESSAGE").isInstanceOf(AuthOutcome.Refused.class);
                assertThat(auth.verify("MESSAGE", List.of(authorization(DigestAlgorithm.MD5, USER, PASSWORD, nonce, "00000003",
                        "MESSAGE")), T0)).isInstanceOf(AuthOutcome.Authenticated.class);
                assertThat(auth.verify("REGISTER", List.of(authorization(DigestAlgorithm.MD5, USER, PASSWORD, nonce, "00000004",
                        "MESSAGE")), T0)).as("and back").isInstanceOf(AuthOutcome.Refused.class);
            }
        }

        @Test
        @DisplayName("RFC 7616 §3.3, §3.4: the one nonce of a 401 is answered with either algorithm offered, and counted once")
        void oneNonceEitherAlgorithm() {
            String nonce = DigestParams.parse(auth.challenges(false, T0).get(0)).orElseThrow().get("nonce").orElseThrow();
            assertThat(verify(authorization(DigestAlgorithm.MD5, nonce, "00000001"))).isInstanceOf(AuthOutcome.Authenticated.class);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000001")))
                    .as("the same count again, with the other algorithm: a replay").isInstanceOf(AuthOutcome.Challenge.class);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000002"))).isInstanceOf(AuthOutcome.Authenticated.class);
        }

        @Test
        @DisplayName("stale=true is added when asked")
        void stale() {
            assertThat(auth.challenges(true, T0)).allSatisfy(c ->
                    assertThat(DigestParams.parse(c).orElseThrow().get("stale")).contains("true"));
        }

        @Test
        @DisplayName("offering no algorithm at all is a configuration error")
        void noAlgorithms() {
            assertThatThrownBy(() -> new DigestAuthenticator(REALM, List.of(), nonces, CREDENTIALS))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("right credentials")
    class Right {
        @Test
        @DisplayName("SHA-256 with qop=auth on an issued nonce authenticates (RFC 8760)")
        void sha256() {
            AuthOutcome o = verify(authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001"));
            assertThat(o).isEqualTo(new AuthOutcome.Authenticated(USER));
        }

        @Test
        @DisplayName("MD5 with qop=auth authenticates")
        void md5() {
            assertThat(verify(authorization(DigestAlgorithm.MD5, nonces.issue(T0), "00000001")))
                    .isEqualTo(new AuthOutcome.Authenticated(USER));
        }

        @Test
        @DisplayName("a nonce taken from a challenge works (the normal 401 round trip)")
        void fromChallenge() {
            String nonce = DigestParams.parse(auth.challenges(false, T0).get(0)).orElseThrow().get("nonce").orElseThrow();
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000001")))
                    .isInstanceOf(AuthOutcome.Authenticated.class);
        }

        @Test
        @DisplayName("no algorithm parameter means MD5 (RFC 7616 §3.4: the default)")
        void defaultAlgorithmIsMd5() {
            String h = authorization(DigestAlgorithm.MD5, nonces.issue(T0), "00000001").replace(", algorithm=MD5", "");
            assertThat(verify(h)).isInstanceOf(AuthOutcome.Authenticated.class);
        }

        @Test
        @DisplayName("without qop (RFC 2069 clients) the response H(HA1:nonce:HA2) authenticates")
        void withoutQop() {
            assertThat(verify(authorization(DigestAlgorithm.MD5, nonces.issue(T0), null)))
                    .isInstanceOf(AuthOutcome.Authenticated.class);
        }

        @Test
        @DisplayName("RFC 4475 §3.3.7: another scheme or another realm first does not hide our Digest credentials")
        void firstUsableHeaderCounts() {
            String ours = authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001");
            String otherRealm = ours.replace(REALM, "elsewhere.example.net");
            assertThat(verify("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", otherRealm, ours))
                    .isInstanceOf(AuthOutcome.Authenticated.class);
        }

        @Test
        @DisplayName("the same nonce serves later requests with growing nonce-counts")
        void nonceReuse() {
            String nonce = nonces.issue(T0);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000001"))).isInstanceOf(AuthOutcome.Authenticated.class);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000002"))).isInstanceOf(AuthOutcome.Authenticated.class);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "0000000a"))).isInstanceOf(AuthOutcome.Authenticated.class);
        }

        @Test
        @DisplayName("RFC 7616 §3.4.1: a response in upper-case hex is the same response")
        void upperCaseResponse() {
            String h = authorization(DigestAlgorithm.MD5, nonces.issue(T0), "00000001");
            int at = h.indexOf("response=\"") + "response=\"".length();
            String upper = h.substring(0, at) + h.substring(at, at + 32).toUpperCase(java.util.Locale.ROOT) + h.substring(at + 32);
            assertThat(verify(upper)).isEqualTo(new AuthOutcome.Authenticated(USER));
        }

        @Test
        @DisplayName("RFC 7616 §3.4.1: a digest uri with non-ASCII characters is hashed as its UTF-8 bytes")
        void utf8Uri() {
            String nonce = nonces.issue(T0);
            String uri = "sip:j\u00fcrgen@example.org";
            DigestAlgorithm a = DigestAlgorithm.SHA_256;
            String ha1 = a.hash(USER + ":" + REALM + ":" + PASSWORD);
            String response = a.hash(ha1 + ":" + nonce + ":00000001:c:auth:" + a.hash("REGISTER:" + uri));
            String h = "Digest username=\"" + USER + "\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                    + "\", response=\"" + response + "\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"c\"";
            assertThat(auth.verify("REGISTER", List.of(h), T0)).isEqualTo(new AuthOutcome.Authenticated(USER));
        }

        @Test
        @DisplayName("checks on many threads at once, right and wrong passwords mixed, each get their own answer "
                + "(the hashing buffers are reused between checks)")
        void concurrentChecks() throws Exception {
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    boolean right = i % 3 != 0;
                    DigestAlgorithm a = i % 2 == 0 ? DigestAlgorithm.MD5 : DigestAlgorithm.SHA_256;
                    answers.add(pool.submit(() -> {
                        String h = authorization(a, USER, right ? PASSWORD : "wrong", nonces.issue(T0), "00000001", "REGISTER");
                        return verify(h) instanceof AuthOutcome.Authenticated == right;
                    }));
                }
                for (var answer : answers) {
                    assertThat(answer.get()).isTrue();
                }
            }
        }
    }

    @Nested
    @DisplayName("wrong credentials: Refused (403, counted by GS-4)")
    class Wrong {
        @Test
        @DisplayName("wrong password")
        void wrongPassword() {
            AuthOutcome o = verify(authorization(DigestAlgorithm.SHA_256, USER, "circle of life", nonces.issue(T0), "00000001", "REGISTER"));
            assertThat(o).isInstanceOfSatisfying(AuthOutcome.Refused.class, r -> assertThat(r.username()).isEqualTo(USER));
        }

        @Test
        @DisplayName("unknown user: same outcome and reason as a wrong password (no user enumeration)")
        void unknownUser() {
            AuthOutcome unknown = verify(authorization(DigestAlgorithm.SHA_256, "Simba", PASSWORD, nonces.issue(T0), "00000001", "REGISTER"));
            AuthOutcome wrong = verify(authorization(DigestAlgorithm.SHA_256, USER, "nope", nonces.issue(T0), "00000001", "REGISTER"));
            assertThat(unknown).isInstanceOf(AuthOutcome.Refused.class);
            assertThat(((AuthOutcome.Refused) unknown).reason()).isEqualTo(((AuthOutcome.Refused) wrong).reason());
        }

        @Test
        @DisplayName("a response computed for another method does not authenticate this one")
        void otherMethod() {
            String forInvite = authorization(DigestAlgorithm.SHA_256, USER, PASSWORD, nonces.issue(T0), "00000001", "INVITE");
            assertThat(verify(forInvite)).isInstanceOf(AuthOutcome.Refused.class);
        }

        @Test
        @DisplayName("a wrong response does not burn the nonce-count: the right one with the same nc still works")
        void failureDoesNotBurnCount() {
            String nonce = nonces.issue(T0);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, USER, "nope", nonce, "00000001", "REGISTER")))
                    .isInstanceOf(AuthOutcome.Refused.class);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000001"))).isInstanceOf(AuthOutcome.Authenticated.class);
        }
    }

    @Nested
    @DisplayName("unusable credentials: Challenge (401)")
    class Unusable {
        @Test
        @DisplayName("no Authorization header at all")
        void none() {
            assertChallenge(verify(), false);
        }

        @Test
        @DisplayName("credentials for another realm only")
        void otherRealm() {
            assertChallenge(verify(authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001")
                    .replace(REALM, "other.example.net")), false);
        }

        @Test
        @DisplayName("another scheme only (RFC 4475 §3.3.7 unknown scheme)")
        void otherScheme() {
            assertChallenge(verify("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), false);
            assertChallenge(verify("NewAuth realm=\"" + REALM + "\", type=1"), false);
        }

        @Test
        @DisplayName("each of username, nonce, uri, response missing")
        void missingFields() {
            String full = authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001");
            for (String field : List.of("username", "nonce", "uri", "response")) {
                String without = full.replaceAll("(,\\s*)?\\b" + field + "=\"[^\"]*\"", "");
                assertThat(DigestParams.parse(without).orElseThrow().get(field)).as(field).isEmpty();
                assertChallenge(verify(without), false);
            }
        }

        @Test
        @DisplayName("an algorithm that is not offered: MD5 when only SHA-256 is, -sess variants, unknown tokens")
        void algorithmNotOffered() {
            DigestAuthenticator shaOnly = new DigestAuthenticator(REALM, List.of(DigestAlgorithm.SHA_256), nonces, CREDENTIALS);
            String md5 = authorization(DigestAlgorithm.MD5, nonces.issue(T0), "00000001");
            assertChallenge(shaOnly.verify("REGISTER", List.of(md5), T0), false);
            assertChallenge(shaOnly.verify("REGISTER", List.of(md5.replace(", algorithm=MD5", "")), T0), false);
            String sess = authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001").replace("algorithm=SHA-256", "algorithm=SHA-256-sess");
            assertChallenge(verify(sess), false);
            String unknown = authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001").replace("algorithm=SHA-256", "algorithm=SHA-512-256");
            assertChallenge(verify(unknown), false);
        }

        @Test
        @DisplayName("qop other than auth (auth-int), qop without cnonce or nc, a nonce-count that is not hex")
        void unsupportedQop() {
            String ok = authorization(DigestAlgorithm.SHA_256, nonces.issue(T0), "00000001");
            assertChallenge(verify(ok.replace("qop=auth", "qop=auth-int")), false);
            assertChallenge(verify(ok.replaceAll(", cnonce=\"[^\"]*\"", "")), false);
            assertChallenge(verify(ok.replace(", nc=00000001", "")), false);
            assertChallenge(verify(ok.replace("nc=00000001", "nc=0000000g")), false);
        }

        @Test
        @DisplayName("a forged or altered nonce")
        void forgedNonce() {
            String nonce = nonces.issue(T0);
            char last = nonce.charAt(nonce.length() - 1);
            String altered = nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A');
            assertThat(nonces.check(altered, -1, T0)).isEqualTo(NonceService.Check.INVALID);
            assertChallenge(verify(authorization(DigestAlgorithm.SHA_256, altered, "00000001")), false);
            assertChallenge(verify(authorization(DigestAlgorithm.SHA_256, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001")), false);
            String foreign = new NonceService(TTL).issue(T0);
            assertChallenge(verify(authorization(DigestAlgorithm.SHA_256, foreign, "00000001")), false);
        }

        @Test
        @DisplayName("a replayed nonce-count (same or lower nc) is refused with a fresh challenge, not a 403")
        void replay() {
            String nonce = nonces.issue(T0);
            String first = authorization(DigestAlgorithm.SHA_256, nonce, "00000002");
            assertThat(verify(first)).isInstanceOf(AuthOutcome.Authenticated.class);
            assertChallenge(verify(first), false);
            assertChallenge(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000001")), false);
            assertThat(verify(authorization(DigestAlgorithm.SHA_256, nonce, "00000003"))).isInstanceOf(AuthOutcome.Authenticated.class);
        }
    }

    @Nested
    @DisplayName("stale nonce (RFC 7616 §3.3 stale)")
    class Stale {
        @Test
        @DisplayName("right response on an expired nonce: Challenge(stale=true)")
        void staleRight() {
            String nonce = nonces.issue(T0);
            String h = authorization(DigestAlgorithm.SHA_256, nonce, "00000001");
            AuthOutcome o = auth.verify("REGISTER", List.of(h), T0.plus(TTL).plusSeconds(1));
            assertChallenge(o, true);
        }

        @Test
        @DisplayName("wrong response on an expired nonce is not 'stale': the client must not just retry")
        void staleWrong() {
            String nonce = nonces.issue(T0);
            String h = authorization(DigestAlgorithm.SHA_256, USER, "nope", nonce, "00000001", "REGISTER");
            AuthOutcome o = auth.verify("REGISTER", List.of(h), T0.plus(TTL).plusSeconds(1));
            assertThat(o).isNotInstanceOf(AuthOutcome.Authenticated.class)
                    .isNotEqualTo(new AuthOutcome.Challenge(true, "nonce expired"));
            assertThat(o).isInstanceOf(AuthOutcome.Refused.class);
        }

        @Test
        @DisplayName("a nonce just inside its life still authenticates")
        void justInside() {
            String nonce = nonces.issue(T0);
            assertThat(auth.verify("REGISTER", List.of(authorization(DigestAlgorithm.SHA_256, nonce, "00000001")), T0.plus(TTL)))
                    .isInstanceOf(AuthOutcome.Authenticated.class);
        }
    }
}
