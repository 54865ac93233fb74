package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * Operator limits and policies over the wire (MO-2, PP2-17 per-account limits; PP2-18 system
 * cap with 503 and Retry-After; PP-23 anonymity refused; PP2-32 notices switched off), on a
 * server configured for them and a manual clock.
 */
@DisplayName("MO-2, PP2-17, PP2-18, PP-23, PP2-32: messaging limits and operator policies")
class MessagingLimitsTest {
    static ManualScheduler clock;
    static TestServer server;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws IOException {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of("messaging.system-rate-per-second", "4",
                "messaging.allow-anonymous", "false", "messaging.non-delivery-notices", "false"));
        for (String u : List.of("ann", "ben", "cid", "dot")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Pager pager(SipTestClient c, String user) {
        return new Pager(c, user, user + "-secret");
    }

    @Test
    @DisplayName("MO-2, PP2-17: an account's own limits: rate per minute (403 with Retry-After) and content types (415 with Accept)")
    void perAccountLimits() throws Exception {
        server.messagingControls("ann", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],"
                + "\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true,\"limits\":{\"maxBodyBytes\":1300,"
                + "\"messagesPerMinute\":2,\"messagesPerDay\":0,\"bytesPerDay\":0,\"allowedContentTypes\":[\"text/plain\"],"
                + "\"offlineMaxMessages\":10,\"offlineMaxBytes\":100000}}");
        try (SipTestClient ann = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Pager p = pager(ann, "ann");
            clock.advance(Duration.ofSeconds(2));
            assertThat(p.send("sip:ben@localhost", "one").status()).isEqualTo(202);
            assertThat(p.send("sip:ben@localhost", "two").status()).isEqualTo(202);
            SipResponse third = p.send("sip:ben@localhost", "three");
            assertThat(third.status()).isEqualTo(403);
            assertThat(third.reason()).contains("rate limit");
            assertThat(third.header("Retry-After")).isPresent();
            clock.advance(Duration.ofSeconds(61));
            SipResponse html = p.send("sip:ben@localhost", "text/html", "<b>x</b>".getBytes(StandardCharsets.UTF_8), "");
            assertThat(html.status()).isEqualTo(415);
            assertThat(html.header("Accept")).hasValue("text/plain");
            assertThat(p.send("sip:ben@localhost", "text/plain", "fine".getBytes(StandardCharsets.UTF_8), "").status())
                    .isEqualTo(202);
        } finally {
            server.messagingControls("ann", "{\"deliveryEnabled\":true,\"doNotDisturb\":false,\"blockedSenders\":[],"
                    + "\"operatorSubmissionEnabled\":true,\"operatorDeliveryEnabled\":true}");
        }
    }

    @Test
    @DisplayName("PP2-18: above the system-wide rate the server answers 503 with Retry-After")
    void systemWideCap() throws IOException {
        clock.advance(Duration.ofSeconds(5));
        try (SipTestClient cid = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Pager p = pager(cid, "cid");
            int accepted = 0;
            SipResponse last = null;
            for (int i = 0; i < 6; i++) {
                last = p.send("sip:dot@localhost", "burst " + i);
                if (last.status() == 202) {
                    accepted++;
                } else {
                    break;
                }
            }
            assertThat(accepted).isEqualTo(4);
            assertThat(last.status()).isEqualTo(503);
            assertThat(last.header("Retry-After")).hasValue("1");
            clock.advance(Duration.ofSeconds(2));
            assertThat(p.send("sip:dot@localhost", "after the second").status()).isEqualTo(202);
        }
    }

    @Test
    @DisplayName("PP-23: where the operator forbids anonymity, an anonymous message is refused with 403 and not delivered")
    void anonymityRefused() throws IOException {
        clock.advance(Duration.ofSeconds(5));
        try (SipTestClient ben = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            SipResponse r = pager(ben, "ben").send("sip:cid@localhost", "text/plain",
                    "hidden".getBytes(StandardCharsets.UTF_8), "Privacy: id\n");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).contains("Anonymous");
        }
    }

    @Test
    @DisplayName("PP2-32: with notices switched off, an expired message tells its sender nothing")
    void noticesOff() throws IOException {
        clock.advance(Duration.ofSeconds(5));
        try (SipTestClient dot = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(dot, "dot");
            Pager p = pager(dot, "dot");
            assertThat(p.send("sip:ann@localhost", "text/plain", "x".getBytes(StandardCharsets.UTF_8), "Expires: 30\n")
                    .status()).isEqualTo(202);
            // dot's own stored messages (from the cap test) would arrive on registration: drain them
            assertThat(reg.register("dot-secret", reg.contact("dot"), "3600", "").status()).isEqualTo(200);
            for (var m = dot.poll(2000); m.isPresent(); m = dot.poll(500)) {
                dot.send(((org.parley.sip.message.SipRequest) m.get()).createResponse(200, "d"));
            }
            clock.advance(Duration.ofSeconds(31));
            server.server().expireMessagesNow();
            assertThat(dot.silentFor(500)).isTrue();
            assertThat(reg.answer("dot", "dot-secret", "*", "0", "").status()).isEqualTo(200);
        }
    }
}
