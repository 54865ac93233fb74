package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.messaging.store.JdbiOfflineStore;
import org.parley.messaging.store.JdbiUsageLog;
import org.parley.messaging.store.UsageQuery;
import org.parley.messaging.store.UsageRecord;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * "Is typing" in pager mode (RFC 3994; PP-37, PP-44) and the pager limit that points to large
 * message mode (PP-6, GIM-6): indications reach the devices online, are never stored, counted
 * or charged, and a malformed one is 400.
 */
@DisplayName("PP-37, PP-44, RFC 3994: is-typing indications in pager mode; PP-6: the 413 names large message mode")
class IsComposingWireTest {
    private static final String ACTIVE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\">\n"
            + "  <state>active</state>\n  <contenttype>text/plain</contenttype>\n  <refresh>60</refresh>\n"
            + "</isComposing>\n";
    static ManualScheduler clock;
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of("messaging.messages-per-minute", "2"));
        for (String u : List.of("amy", "bert", "cleo", "dirk")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SipTestClient udp() throws IOException {
        return SipTestClient.udp(server.sipPort(Transport.UDP));
    }

    private static void register(SipTestClient device, String user, String expires) throws IOException {
        Registration reg = new Registration(device, user);
        assertThat(reg.register(user + "-secret", expires.equals("0") ? "*" : reg.contact(user), expires, "")
                .status()).isEqualTo(200);
    }

    private static SipResponse typing(Pager pager, String to, String document) throws IOException {
        return pager.send(to, "application/im-iscomposing+xml", document.getBytes(StandardCharsets.UTF_8), "");
    }

    @Test
    @DisplayName("PP-37, RFC 3994 §3: relayed to the device online byte for byte, neither counted against the rate nor charged")
    void relayedNotCountedNotCharged() throws IOException {
        try (SipTestClient bertPhone = udp(); SipTestClient amy = udp()) {
            clock.advance(Duration.ofMinutes(2));
            register(bertPhone, "bert", "3600");
            Pager pager = new Pager(amy, "amy", "amy-secret");
            for (int i = 0; i < 4; i++) {
                SipTestClient.Reply reply = bertPhone.answerNext(200);
                assertThat(typing(pager, "sip:bert@localhost", ACTIVE).status()).as("indication %d", i).isEqualTo(200);
                SipRequest got = reply.request();
                assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(ACTIVE);
                assertThat(got.header("P-Asserted-Identity")).hasValue("<sip:amy@localhost>");
            }
            // the rate is two messages a minute: four indications before them took none of it
            for (int i = 0; i < 2; i++) {
                SipTestClient.Reply reply = bertPhone.answerNext(200);
                assertThat(pager.send("sip:bert@localhost", "message " + i).status()).isEqualTo(200);
                reply.request();
            }
            assertThat(pager.send("sip:bert@localhost", "one too many").status()).isEqualTo(403);
            assertThat(records("sip:bert@localhost")).as("usage records are for messages only")
                    .noneMatch(r -> r.contentType().contains("iscomposing")).isNotEmpty();
            register(bertPhone, "bert", "0");
        }
    }

    @Test
    @DisplayName("PP-37, MU-3: to a user offline 480, nothing stored, nothing delivered on registration")
    void neverStored() throws IOException {
        try (SipTestClient cleo = udp()) {
            Pager pager = new Pager(cleo, "cleo", "cleo-secret");
            SipResponse r = typing(pager, "sip:dirk@localhost", ACTIVE);
            assertThat(r.status()).isEqualTo(480);
            assertThat(r.reason()).contains("not stored");
            byte[] wrapped = ("From: <sip:cleo@localhost>\r\nTo: <sip:dirk@localhost>\r\n\r\n"
                    + "Content-Type: application/im-iscomposing+xml\r\n\r\n" + ACTIVE).getBytes(StandardCharsets.UTF_8);
            assertThat(pager.send("sip:dirk@localhost", "message/cpim", wrapped, "").status())
                    .as("wrapped in CPIM it is an indication too").isEqualTo(480);
        }
        assertThat(new JdbiOfflineStore(server.server().context().database()).usage("sip:dirk@localhost").messages())
                .isZero();
        try (SipTestClient dirk = udp()) {
            register(dirk, "dirk", "3600");
            assertThat(dirk.silentFor(500)).as("no summary, no indication").isTrue();
            register(dirk, "dirk", "0");
        }
    }

    @Test
    @DisplayName("RFC 3994 §4: a document that is not well-formed or breaks the schema is 400 with the reason")
    void malformedIs400() throws IOException {
        try (SipTestClient amy = udp()) {
            Pager pager = new Pager(amy, "amy", "amy-secret");
            for (String bad : List.of("<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>active",
                    "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><refresh>60</refresh></isComposing>",
                    "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>idle</state>"
                            + "<refresh>-1</refresh></isComposing>",
                    "<isComposing><state>active</state></isComposing>",
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><isComposing "
                            + "xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>&e;</state></isComposing>",
                    "")) {
                SipResponse r = typing(pager, "sip:bert@localhost", bad);
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.reason()).as(bad).contains("is-composing");
            }
            byte[] wrappedBad = ("From: <sip:amy@localhost>\r\nTo: <sip:bert@localhost>\r\n\r\n"
                    + "Content-Type: application/im-iscomposing+xml\r\n\r\n<state/>").getBytes(StandardCharsets.UTF_8);
            assertThat(pager.send("sip:bert@localhost", "message/cpim", wrappedBad, "").status()).isEqualTo(400);
        }
    }

    @Test
    @DisplayName("PP-6, GIM-6, OMA SIMPLE IM large message mode: the pager 413 says to use an MSRP session")
    void tooLargeNamesLargeMessageMode() throws IOException {
        try (SipTestClient amy = udp()) {
            SipResponse big = new Pager(amy, "amy", "amy-secret").send("sip:bert@localhost", "text/plain", new byte[1301], "");
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.reason()).contains("1301").contains("1300").contains("large message mode");
            assertThat(big.header("Warning")).hasValueSatisfying(w -> assertThat(w)
                    .startsWith("399 localhost \"").contains("+g.oma.sip-im.large-message").contains("MSRP"));
        }
    }

    private static List<UsageRecord> records(String recipient) {
        return new JdbiUsageLog(server.server().context().database()).list(new UsageQuery(Optional.empty(),
                Optional.of(recipient), Optional.empty(), Optional.empty(), Optional.empty()), 0, 1000).items();
    }
}
