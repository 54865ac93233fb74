package org.parley.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.registrar.RegistrarFixture.ALICE_PASSWORD;
import static org.parley.registrar.RegistrarFixture.BOB_PASSWORD;
import static org.parley.registrar.RegistrarFixture.T0;
import static org.parley.registrar.RegistrarFixture.contacts;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.digest.DigestParams;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.testkit.TestDatabases;

@DisplayName("RFC 3261 §10.3, RFC 5626 §6, RFC 3327, RFC 5627 §5, PP-45, GS-4, GU-1/GU-2: Registrar")
class RegistrarTest {
    static final String ALICE = "sip:alice@example.com";
    static final String BOB = "sip:bob@example.com";
    static final String INSTANCE = "\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"";

    RegistrarFixture f;

    @BeforeEach
    void setUp() {
        f = new RegistrarFixture(TestDatabases.h2());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private SipRequest reg(long cseq, String... extra) {
        return f.register(ALICE, "call-1", cseq, extra);
    }

    private static Optional<String> param(Address a, String name) {
        return a.params().get(name);
    }

    @Nested
    @DisplayName("authentication (RFC 3261 §10.3 step 3, §22.4)")
    class Authentication {
        @Test
        @DisplayName("no credentials: 401 with one challenge per algorithm, SHA-256 first, and a To tag")
        void challenge() {
            SipResponse r = f.send(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"), T0);
            assertThat(r.status()).isEqualTo(401);
            List<String> challenges = r.headers().values(HeaderNames.WWW_AUTHENTICATE);
            assertThat(challenges).hasSize(2);
            assertThat(DigestParams.parse(challenges.get(0)).orElseThrow().get("algorithm")).contains("SHA-256");
            assertThat(DigestParams.parse(challenges.get(1)).orElseThrow().get("algorithm")).contains("MD5");
            assertThat(r.to().tag()).contains("reg-tag");
            assertThat(f.bindings(ALICE)).isEmpty();
        }

        @Test
        @DisplayName("wrong password: 403 and nothing bound")
        void wrongPassword() {
            SipResponse r = f.send(f.signed(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"), "alice", "guess-guess", T0), T0);
            assertThat(r.status()).isEqualTo(403);
            assertThat(f.bindings(ALICE)).isEmpty();
        }

        @Test
        @DisplayName("an expired nonce with the right answer: 401 with stale=true")
        void stale() {
            SipRequest req = f.signed(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"), "alice", ALICE_PASSWORD, T0);
            SipResponse r = f.send(req, T0.plus(Duration.ofMinutes(6)));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers().values(HeaderNames.WWW_AUTHENTICATE))
                    .allSatisfy(c -> assertThat(DigestParams.parse(c).orElseThrow().get("stale")).contains("true"));
        }

        @Test
        @DisplayName("GS-4: repeated failures from one source slow its answers, then block it")
        void bruteForce() {
            for (int i = 1; i <= 3; i++) {
                RegistrarReply reply = f.registrar.register(f.signed(reg(i), "alice", "wrong-" + i, T0), RegistrarFixture.UDP, "t", T0);
                assertThat(reply.response().status()).isEqualTo(403);
                assertThat(reply.delay()).isZero();
            }
            RegistrarReply fourth = f.registrar.register(f.signed(reg(4), "alice", "wrong-4", T0), RegistrarFixture.UDP, "t", T0);
            assertThat(fourth.response().status()).isEqualTo(403);
            assertThat(fourth.delay()).isEqualTo(Duration.ofSeconds(1));
            f.registrar.register(f.signed(reg(5), "alice", "wrong-5", T0), RegistrarFixture.UDP, "t", T0);
            f.registrar.register(f.signed(reg(6), "alice", "wrong-6", T0), RegistrarFixture.UDP, "t", T0);
            SipResponse blocked = f.send(f.signed(reg(7), "alice", ALICE_PASSWORD, T0), T0);
            assertThat(blocked.status()).isEqualTo(403);
            assertThat(blocked.reason()).containsIgnoringCase("try later");
            assertThat(f.bindings(ALICE)).isEmpty();
            SipResponse later = f.send(f.signed(reg(8), "alice", ALICE_PASSWORD, T0.plus(Duration.ofMinutes(16))),
                    T0.plus(Duration.ofMinutes(16)));
            assertThat(later.status()).isEqualTo(200);
        }

        @Test
        @DisplayName("auth attempts are recorded: failure and success, with door, source and transport")
        void attemptsRecorded() {
            f.send(f.signed(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"), "alice", "not-the-password", T0), T0);
            f.alice(reg(2, "Contact: <sip:alice@198.51.100.7:5062>"));
            List<AuthAttempt> log = f.attempts.list(Optional.of("alice"), 0, 10).items();
            assertThat(log).hasSize(2);
            assertThat(log).extracting(AuthAttempt::success).containsExactlyInAnyOrder(true, false);
            assertThat(log).allSatisfy(a -> {
                assertThat(a.door()).isEqualTo("sip-register");
                assertThat(a.source()).isEqualTo("198.51.100.7");
                assertThat(a.transport()).isEqualTo("UDP");
                assertThat(a.userAgent()).contains("FixturePhone/1.0");
            });
        }

        @Test
        @DisplayName("GS-4, issue 13: each source is recorded and counted as its own address (IPv4, IPv6), however often it comes")
        void sourcesKeptApart() {
            Flow v6 = new Flow(Transport.UDP, RegistrarFixture.LOCAL, new InetSocketAddress("2001:db8::7", 5062), null);
            Flow other = new Flow(Transport.UDP, RegistrarFixture.LOCAL, new InetSocketAddress("203.0.113.9", 5062), null);
            for (int i = 1; i <= 4; i++) {
                assertThat(f.registrar.register(f.signed(reg(i), "alice", "wrong-" + i, T0), v6, "t", T0).response().status())
                        .isEqualTo(403);
            }
            // the IPv6 source is delayed now; another source, and the first again, are not
            RegistrarReply fromV6 = f.registrar.register(f.signed(reg(5), "alice", "wrong-5", T0), v6, "t", T0);
            RegistrarReply fromOther = f.registrar.register(f.signed(reg(6), "alice", "wrong-6", T0), other, "t", T0);
            assertThat(fromV6.delay()).isPositive();
            assertThat(fromOther.delay()).isZero();
            assertThat(f.registrar.register(f.signed(reg(7), "alice", ALICE_PASSWORD, T0), RegistrarFixture.UDP, "t", T0)
                    .response().status()).isEqualTo(200);
            assertThat(f.attempts.list(Optional.of("alice"), 0, 10).items()).extracting(AuthAttempt::source)
                    .containsOnly("2001:db8:0:0:0:0:0:7", "203.0.113.9", "198.51.100.7")
                    .filteredOn("2001:db8:0:0:0:0:0:7"::equals).hasSize(5);
        }

        @Test
        @DisplayName("refusals after authentication (another's AOR, unknown AOR) are recorded as failures")
        void refusalsRecorded() {
            f.alice(f.register(BOB, "c", 1, "Contact: <sip:alice@198.51.100.7:5062>"));
            f.alice(f.register("sip:nobody@example.com", "c", 2, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(f.attempts.list(Optional.of("alice"), 0, 10).items())
                    .hasSize(2).noneMatch(AuthAttempt::success);
        }
    }

    @Nested
    @DisplayName("bindings (RFC 3261 §10.3 steps 6-8)")
    class Bindings {
        @Test
        @DisplayName("200 lists every binding of the AOR with its remaining expires, and a Date")
        void okWithBindings() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>, <sip:alice@198.51.100.7:5070>",
                    "Expires: 600"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.to().tag()).contains("reg-tag");
            assertThat(contacts(r)).hasSize(2).allSatisfy(a -> assertThat(param(a, "expires")).contains("600"));
            assertThat(r.header(HeaderNames.DATE)).isPresent();
            assertThat(f.bindings(ALICE)).extracting(b -> b.contact().toString())
                    .containsExactlyInAnyOrder("sip:alice@198.51.100.7:5062", "sip:alice@198.51.100.7:5070");
            Binding b = f.bindings(ALICE).get(0);
            assertThat(b.userAgent()).isEqualTo("FixturePhone/1.0");
            assertThat(b.flow()).isEqualTo(RegistrarFixture.UDP);
            assertThat(b.callId()).isEqualTo("call-1");
        }
        @Test
        @DisplayName("RFC 3261 §20.17 Date has a two-digit day (\"Sat, 01 Mar 2025 12:00:00 GMT\")")
        void dateHasTwoDigitDay() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(r.header(HeaderNames.DATE)).contains("Sat, 01 Mar 2025 12:00:00 GMT");
        }

        @Test
        @DisplayName("a REGISTER without Contact is a query: 200 with the current bindings, nothing changed")
        void query() {
            f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"));
            SipResponse r = f.alice(reg(2));
            assertThat(r.status()).isEqualTo(200);
            assertThat(contacts(r)).extracting(a -> a.uri().toString()).containsExactly("sip:alice@198.51.100.7:5062");
        }

        @Test
        @DisplayName("no Expires anywhere: the default interval")
        void defaultExpires() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(param(contacts(r).get(0), "expires")).contains("1800");
        }

        @Test
        @DisplayName("the Contact expires parameter wins over the Expires header")
        void contactParamWins() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>;expires=120", "Expires: 900"));
            assertThat(param(contacts(r).get(0), "expires")).contains("120");
        }

        @Test
        @DisplayName("423 with Min-Expires when asked for less than the minimum (header or parameter); nothing bound")
        void intervalTooBrief() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 30"));
            assertThat(r.status()).isEqualTo(423);
            assertThat(r.header(HeaderNames.MIN_EXPIRES)).contains("60");
            SipResponse p = f.alice(reg(2, "Contact: <sip:alice@198.51.100.7:5062>, <sip:alice@198.51.100.7:5070>;expires=59"));
            assertThat(p.status()).isEqualTo(423);
            assertThat(f.bindings(ALICE)).as("the request fails as a whole").isEmpty();
            assertThat(f.alice(reg(3, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 60")).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("an interval above the maximum is shortened to it")
        void cappedAtMax() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 99999"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(param(contacts(r).get(0), "expires")).contains("3600");
            assertThat(f.bindings(ALICE).get(0).expiresAt()).isEqualTo(T0.plusSeconds(3600));
        }

        @Test
        @DisplayName("expires=0 removes just that binding")
        void removeOne() {
            f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>, <sip:alice@198.51.100.7:5070>"));
            SipResponse r = f.alice(reg(2, "Contact: <sip:alice@198.51.100.7:5062>;expires=0"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(contacts(r)).extracting(a -> a.uri().toString()).containsExactly("sip:alice@198.51.100.7:5070");
        }

        @Test
        @DisplayName("a binding is gone from lookups once its time is up")
        void expiry() {
            f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 60"));
            assertThat(f.location.lookup(ALICE, T0.plusSeconds(59))).hasSize(1);
            assertThat(f.location.lookup(ALICE, T0.plusSeconds(60))).isEmpty();
        }

        @Test
        @DisplayName("416 for a Contact that is not a SIP or SIPS URI")
        void telContact() {
            assertThat(f.alice(reg(1, "Contact: <tel:+442079460000>")).status()).isEqualTo(416);
        }

        @Test
        @DisplayName("q outside 0..1 is refused; q is echoed when not 1")
        void qValues() {
            assertThat(f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>;q=1.5")).status()).isEqualTo(400);
            SipResponse r = f.alice(reg(2, "Contact: <sip:alice@198.51.100.7:5062>;q=0.5"));
            assertThat(param(contacts(r).get(0), "q")).contains("0.5");
        }
    }

    @Nested
    @DisplayName("Contact: * (RFC 3261 §10.2.2, §10.3 step 6)")
    class Wildcard {
        @Test
        @DisplayName("with Expires: 0 removes every binding of the AOR")
        void removesAll() {
            f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>, <sip:alice@198.51.100.7:5070>"));
            SipResponse r = f.alice(reg(2, "Contact: *", "Expires: 0"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(contacts(r)).isEmpty();
            assertThat(f.bindings(ALICE)).isEmpty();
        }

        @Test
        @DisplayName("400 without Expires, with Expires other than 0, or with another contact")
        void badWildcard() {
            f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(f.alice(reg(2, "Contact: *")).status()).isEqualTo(400);
            assertThat(f.alice(reg(3, "Contact: *", "Expires: 60")).status()).isEqualTo(400);
            // the parser already refuses "*" inside a Contact list; the registrar's own rule is checked
            // by adding the second contact after parsing
            SipRequest mixed = reg(4, "Contact: *", "Expires: 0");
            mixed = mixed.withHeaders(mixed.headers().append(HeaderNames.CONTACT, "<sip:alice@198.51.100.7:5070>"));
            assertThat(f.alice(mixed).status()).isEqualTo(400);
            SipRequest twice = reg(5, "Contact: *", "Expires: 0");
            twice = twice.withHeaders(twice.headers().append(HeaderNames.CONTACT, "*"));
            assertThat(f.alice(twice).status()).as("two wildcard lines").isEqualTo(400);
            assertThat(f.bindings(ALICE)).hasSize(1);
        }

        @Test
        @DisplayName("an older CSeq of the same Call-ID: 500 and nothing removed")
        void outOfOrder() {
            f.alice(reg(5, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(f.alice(reg(4, "Contact: *", "Expires: 0")).status()).isEqualTo(500);
            assertThat(f.bindings(ALICE)).hasSize(1);
        }
    }

    @Nested
    @DisplayName("CSeq ordering (RFC 3261 §10.3 step 7)")
    class Ordering {
        @Test
        @DisplayName("same Call-ID, CSeq not higher than the binding's: 500, binding unchanged")
        void outOfOrder() {
            f.alice(reg(5, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 600"));
            assertThat(f.alice(reg(4, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 900")).status()).isEqualTo(500);
            assertThat(f.alice(reg(5, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 900")).status()).isEqualTo(500);
            assertThat(f.bindings(ALICE).get(0).expiresAt()).isEqualTo(T0.plusSeconds(600));
            assertThat(f.alice(reg(6, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 900")).status()).isEqualTo(200);
            assertThat(f.bindings(ALICE).get(0).expiresAt()).isEqualTo(T0.plusSeconds(900));
        }

        @Test
        @DisplayName("another Call-ID may update the binding whatever its CSeq")
        void otherCallId() {
            f.alice(reg(5, "Contact: <sip:alice@198.51.100.7:5062>"));
            SipRequest other = f.register(ALICE, "call-2", 1, "Contact: <sip:alice@198.51.100.7:5062>", "Expires: 120");
            assertThat(f.alice(other).status()).isEqualTo(200);
            assertThat(f.bindings(ALICE)).singleElement().satisfies(b -> assertThat(b.callId()).isEqualTo("call-2"));
        }
    }

    @Nested
    @DisplayName("RFC 5626 §6 instance and reg-id, RFC 5627 §5 public GRUU")
    class Outbound {
        @Test
        @DisplayName("same +sip.instance and reg-id from a new contact replaces the old binding")
        void replacement() {
            SipResponse first = f.alice(reg(1, "Supported: outbound",
                    "Contact: <sip:alice@198.51.100.7:5062>;+sip.instance=" + INSTANCE + ";reg-id=1"));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers().values(HeaderNames.REQUIRE)).contains("outbound");
            SipResponse second = f.alice(f.register(ALICE, "call-new", 1, "Supported: outbound",
                    "Contact: <sip:alice@198.51.100.7:6000>;+sip.instance=" + INSTANCE + ";reg-id=1"));
            assertThat(second.status()).isEqualTo(200);
            assertThat(f.bindings(ALICE)).singleElement().satisfies(b -> {
                assertThat(b.contact().toString()).isEqualTo("sip:alice@198.51.100.7:6000");
                assertThat(b.regId()).isEqualTo(1);
            });
            assertThat(contacts(second)).singleElement().satisfies(a -> {
                assertThat(param(a, "reg-id")).contains("1");
                assertThat(param(a, "+sip.instance")).contains("<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>");
            });
        }

        @Test
        @DisplayName("another reg-id of the same instance is another flow: both bindings stay")
        void twoFlows() {
            f.alice(reg(1, "Supported: outbound", "Contact: <sip:alice@198.51.100.7:5062>;+sip.instance=" + INSTANCE + ";reg-id=1"));
            f.alice(reg(2, "Supported: outbound", "Contact: <sip:alice@198.51.100.7:6000>;+sip.instance=" + INSTANCE + ";reg-id=2"));
            assertThat(f.bindings(ALICE)).extracting(Binding::regId).containsExactlyInAnyOrder(1, 2);
        }

        @Test
        @DisplayName("without Supported: outbound the reg-id is ignored (no Require: outbound)")
        void noOutboundSupport() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>;+sip.instance=" + INSTANCE + ";reg-id=1"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().values(HeaderNames.REQUIRE)).doesNotContain("outbound");
            assertThat(f.bindings(ALICE)).singleElement().satisfies(b -> assertThat(b.regId()).isZero());
        }

        @Test
        @DisplayName("Supported: gruu and an instance: the 200 carries pub-gruu = AOR;gr=<instance URN>")
        void pubGruu() {
            SipResponse r = f.alice(reg(1, "Supported: gruu",
                    "Contact: <sip:alice@198.51.100.7:5062>;+sip.instance=" + INSTANCE));
            assertThat(contacts(r)).singleElement().satisfies(a -> assertThat(param(a, "pub-gruu"))
                    .contains("sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"));
            assertThat(r.headers().values(HeaderNames.CONTACT).get(0))
                    .contains("pub-gruu=\"sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"");
        }

        @Test
        @DisplayName("no pub-gruu without Supported: gruu, nor for a contact without an instance")
        void noPubGruu() {
            SipResponse r = f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:5062>;+sip.instance=" + INSTANCE));
            assertThat(param(contacts(r).get(0), "pub-gruu")).isEmpty();
            SipResponse plain = f.alice(reg(2, "Supported: gruu", "Contact: <sip:alice@198.51.100.7:5070>"));
            assertThat(contacts(plain)).filteredOn(a -> a.uri().toString().endsWith(":5070"))
                    .singleElement().satisfies(a -> assertThat(param(a, "pub-gruu")).isEmpty());
        }

        @Test
        @DisplayName("Registrar.publicGruu strips quotes and angle brackets from the instance")
        void publicGruuForm() {
            assertThat(Registrar.publicGruu(ALICE, INSTANCE))
                    .isEqualTo("sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        }
    }

    @Nested
    @DisplayName("q ordering and Path (RFC 3261 §10.3, RFC 3327 §5.3)")
    class OrderAndPath {
        @Test
        @DisplayName("lookup returns the bindings highest q first")
        void qOrdering() {
            f.alice(reg(1, "Contact: <sip:alice@198.51.100.7:1001>;q=0.2, <sip:alice@198.51.100.7:1002>;q=0.9, "
                    + "<sip:alice@198.51.100.7:1003>, <sip:alice@198.51.100.7:1004>;q=0"));
            assertThat(f.bindings(ALICE)).extracting(b -> b.contact().port()).containsExactly(1003, 1002, 1001, 1004);
            assertThat(f.bindings(ALICE)).extracting(Binding::q).containsExactly(1.0f, 0.9f, 0.2f, 0.0f);
        }

        @Test
        @DisplayName("Supported: path: Path is stored with the binding and echoed in the 200, in order")
        void pathEchoed() {
            SipResponse r = f.alice(reg(1, "Supported: path", "Path: <sip:edge1.example.net;lr>",
                    "Path: <sip:edge2.example.net;lr>", "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(r.headers().values(HeaderNames.PATH))
                    .containsExactly("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>");
            assertThat(f.bindings(ALICE).get(0).path())
                    .containsExactly("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>");
        }

        @Test
        @DisplayName("without Supported: path, Path is neither stored nor echoed (RFC 3327 §5.3)")
        void pathIgnoredWithoutSupport() {
            SipResponse r = f.alice(reg(1, "Path: <sip:edge1.example.net;lr>", "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(r.headers().values(HeaderNames.PATH)).isEmpty();
            assertThat(f.bindings(ALICE).get(0).path()).isEmpty();
        }
    }

    @Nested
    @DisplayName("identities (PP-45, RFC 3261 §10.3 steps 4-5)")
    class Identities {
        @Test
        @DisplayName("E.164 spellings and the alias register the same account, under its canonical AOR")
        void sameAccount() {
            String[] tos = {"sip:+442079460000@example.com;user=phone", "sip:+44-20-7946-0000@example.com;user=phone",
                "sip:+442079460000@example.com", "tel:+44-20-7946-0000", "sip:ally@example.com", "sip:ALICE@EXAMPLE.COM"};
            for (int i = 0; i < tos.length; i++) {
                SipResponse r = f.alice(f.register(tos[i], "id-" + i, 1, "Contact: <sip:alice@198.51.100.7:" + (7000 + i) + ">"));
                assertThat(r.status()).as(tos[i]).isEqualTo(200);
            }
            assertThat(f.bindings(ALICE)).hasSize(tos.length).allSatisfy(b -> assertThat(b.aor()).isEqualTo(ALICE));
        }

        @Test
        @DisplayName("another account's AOR: 403 and counted as a failure; its owner can register it")
        void othersAor() {
            SipResponse r = f.alice(f.register(BOB, "c", 1, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(f.bindings(BOB)).isEmpty();
            SipResponse own = f.send(f.signed(f.register(BOB, "c2", 1, "Contact: <sip:bob@198.51.100.8:5062>"), "bob", BOB_PASSWORD, T0), T0);
            assertThat(own.status()).isEqualTo(200);
        }

        @Test
        @DisplayName("an AOR nobody has: 404")
        void unknown() {
            assertThat(f.alice(f.register("sip:nobody@example.com", "c", 1, "Contact: <sip:x@198.51.100.7>")).status()).isEqualTo(404);
            assertThat(f.alice(f.register("sip:alice@other.example.org", "c", 2, "Contact: <sip:x@198.51.100.7>")).status()).isEqualTo(404);
            assertThat(f.alice(f.register("tel:+15550100", "c", 3, "Contact: <sip:x@198.51.100.7>")).status()).isEqualTo(404);
        }

        @Test
        @DisplayName("To with a scheme other than sip, sips or tel: 416 (RFC 3261 §10.3 step 5)")
        void unsupportedToScheme() {
            SipResponse r = f.alice(f.register("mailto:alice@example.com", "c", 1, "Contact: <sip:alice@198.51.100.7:5062>"));
            assertThat(r.status()).isEqualTo(416);
        }

        @Test
        @DisplayName("a Request-URI for another domain: 404 (RFC 3261 §10.3 step 1)")
        void otherDomain() {
            SipRequest req = f.register(ALICE, "c", 1, "Contact: <sip:alice@198.51.100.7:5062>");
            req = req.withRequestUri(org.parley.sip.message.SipUri.parse("sip:other.example.org"));
            assertThat(f.alice(req).status()).isEqualTo(404);
        }
    }
}
