package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.MsrpTransport;
import org.parley.testkit.msrp.PythonMsrpPeer;
import org.parley.testkit.msrp.PythonMsrpPeer.Reply;

/**
 * Malformed and hostile MSRP against the relay, sent by the independent Python peer (issue 10):
 * each gets the right status (RFC 4975 §7.2, §10; RFC 4976 §5-§7) or a closed connection, never
 * a hang, and the relay gives back what it held (no SEND left waiting for an answer).
 */
@DisplayName("RFC 4975 §7.2, §9, §10, RFC 4976: malformed MSRP over the wire gets the right status or a closed connection")
class MalformedMsrpWireTest {
    private static TestRelay relay;
    private static final MsrpTransport T = MsrpTransport.TCP;

    @BeforeAll
    static void start() throws Exception {
        relay = new TestRelay(Duration.ofSeconds(2), Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @AfterEach
    void memoryGivenBack() throws InterruptedException {
        for (int i = 0; i < 100 && relay.relay.pendingCount() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(relay.relay.pendingCount()).as("SENDs waiting for an answer").isZero();
    }

    private static PythonMsrpPeer peer() throws Exception {
        PythonMsrpPeer p = PythonMsrpPeer.start();
        p.connect("tcp", relay.port(T), null);
        return p;
    }

    private static String auth(PythonMsrpPeer p, String user) {
        Reply ok = p.auth(relay.uri(T), user, TestRelay.PASSWORDS.get(user));
        assertThat(ok.status()).isEqualTo(200);
        return ok.get("use-path");
    }

    private static String send(String tid, String toPath, String fromPath, String extra, String body, String end) {
        return "MSRP " + tid + " SEND\r\nTo-Path: " + toPath + "\r\nFrom-Path: " + fromPath + "\r\nMessage-ID: m" + tid
                + "\r\n" + extra + (body == null ? "" : "Content-Type: text/plain\r\n\r\n" + body + "\r\n") + end;
    }

    @Test
    @DisplayName("RFC 4975 §9: a stream that is not MSRP is closed without an answer")
    void notMsrpClosed() throws Exception {
        try (PythonMsrpPeer p = peer()) {
            p.raw("GET / HTTP/1.1\r\nHost: relay\r\n\r\n");
            assertThat(p.closedByPeer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    @DisplayName("RFC 4975 §9, §7.1.1: a wrong end-line, a Byte-Range that lies about the body and a header without a colon are each a 400; the connection stays usable")
    void badFramingIs400() throws Exception {
        try (PythonMsrpPeer p = peer()) {
            String relayUri = relay.uri(T);
            p.raw(send("aaaa1111", relayUri, p.uri(), "", null, "-------zzzz9999$\r\n"));
            assertThat(p.next().status()).isEqualTo(400);
            p.raw(send("bbbb2222", relayUri, p.uri(), "Byte-Range: 1-10/10\r\n", "abc", "-------bbbb2222$\r\n"));
            Reply lies = p.next();
            assertThat(lies.get("tid")).isEqualTo("bbbb2222");
            assertThat(lies.status()).isEqualTo(400);
            p.raw(send("cccc3333", relayUri, p.uri(), "No colon here\r\n", "x", "-------cccc3333$\r\n"));
            assertThat(p.next().status()).isEqualTo(400);
            auth(p, "alice");
        }
    }

    @Test
    @DisplayName("RFC 4975 §7.3 (413): a chunk over the relay's limit is refused at once; §10 (501): an unknown method; the connection stays usable")
    void oversizeChunkAndUnknownMethod() throws Exception {
        try (PythonMsrpPeer alice = peer(); PythonMsrpPeer bob = peer()) {
            String aliceRelay = auth(alice, "alice");
            String bobRelay = auth(bob, "bob");
            Reply sent = alice.send(aliceRelay + " " + bobRelay + " " + bob.uri(), "text/plain", new byte[70_000],
                    70_000, "no");
            Reply tooBig = alice.next();
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.get("tid")).isEqualTo(sent.tids().getFirst());
            alice.raw("MSRP dddd4444 NICKNAME\r\nTo-Path: " + relay.uri(T) + "\r\nFrom-Path: " + alice.uri()
                    + "\r\n-------dddd4444$\r\n");
            assertThat(alice.next().status()).isEqualTo(501);
            assertThat(bob.next(Duration.ofMillis(300)).kind()).as("nothing reached bob").isEqualTo("timeout");
            alice.send(aliceRelay + " " + bobRelay + " " + bob.uri(), "text/plain", "still fine".getBytes(
                    StandardCharsets.UTF_8), 100, "no");
            assertThat(bob.receive().text()).isEqualTo("still fine");
        }
    }

    @Test
    @DisplayName("RFC 4976 §5, §6: AUTH without credentials is challenged (401), with a wrong password refused (403), with an Expires out of bounds 423; a SEND before AUTH and a To-Path the relay never issued are 403")
    void authAndPathRefusals() throws Exception {
        try (PythonMsrpPeer eve = peer(); PythonMsrpPeer bob = peer()) {
            String bobRelay = auth(bob, "bob");
            eve.send(bobRelay + " " + bob.uri(), "text/plain", "spam".getBytes(StandardCharsets.UTF_8), 100, "no");
            assertThat(eve.next().status()).as("SEND before AUTH").isEqualTo(403);
            eve.raw("MSRP eeee5555 AUTH\r\nTo-Path: " + relay.uri(T) + "\r\nFrom-Path: " + eve.uri()
                    + "\r\n-------eeee5555$\r\n");
            Reply challenge = eve.next();
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Digest "));
            assertThat(eve.auth(relay.uri(T), "bob", "not-his-password").status()).isEqualTo(403);
            Reply shortLived = eve.auth(relay.uri(T), "alice", "alice-secret", 5);
            assertThat(shortLived.status()).isEqualTo(423);
            assertThat(shortLived.get("min-expires")).isEqualTo("60");
            String eveRelay = auth(eve, "alice");
            String forged = relay.uri(T).replace(";tcp", "/forged-session-id;tcp");
            eve.send(forged + " " + bob.uri(), "text/plain", "x".getBytes(StandardCharsets.UTF_8), 100, "no");
            assertThat(eve.next().status()).as("a To-Path the relay never issued").isEqualTo(403);
            eve.send(eveRelay + " " + bob.uri(), "text/plain", "x".getBytes(StandardCharsets.UTF_8), 100, "no");
            assertThat(eve.next().status()).as("a next hop that is no user of the relay").isEqualTo(403);
        }
    }

    @Test
    @DisplayName("RFC 4975 §7.3.1 (506): a To-Path that starts with another user's relay URI — bound to that user's connection — is refused")
    void sessionBoundToAnotherConnection() throws Exception {
        try (PythonMsrpPeer alice = peer(); PythonMsrpPeer bob = peer()) {
            auth(alice, "alice");
            String bobRelay = auth(bob, "bob");
            alice.send(bobRelay + " " + bob.uri(), "text/plain", "skipping my own hop".getBytes(StandardCharsets.UTF_8),
                    100, "no");
            Reply refused = alice.next();
            assertThat(refused.status()).isEqualTo(506);
            assertThat(bob.next(Duration.ofMillis(300)).kind()).isEqualTo("timeout");
        }
    }

    @Test
    @DisplayName("RFC 4975 §7.1.2, RFC 4976 §7.3: the receiver's 415 (type not accepted) and 481 (no such session: a wrong To-Path at the end) come back to the sender as failure REPORTs")
    void receiverRefusalsBecomeReports() throws Exception {
        try (PythonMsrpPeer alice = peer(); PythonMsrpPeer bob = peer()) {
            String aliceRelay = auth(alice, "alice");
            String bobRelay = auth(bob, "bob");
            Reply video = alice.send(aliceRelay + " " + bobRelay + " " + bob.uri(), "video/mp4", new byte[100], 100, "no",
                    Map.of("failure-report", "yes"));
            assertThat(bob.receive(Duration.ofSeconds(10), 415).kind()).isEqualTo("message");
            assertThat(alice.next().status()).as("the relay's own 200").isEqualTo(200);
            Reply report = alice.next();
            assertThat(report.method()).isEqualTo("REPORT");
            assertThat(report.header("Status")).hasValueSatisfying(s -> assertThat(s).startsWith("000 415"));
            assertThat(report.header("Message-ID")).hasValue(video.get("message-id"));

            String wrongEnd = bob.uri().replaceAll("/[^/;]+;", "/no-such-session;");
            alice.send(aliceRelay + " " + bobRelay + " " + wrongEnd, "text/plain", "hello?".getBytes(StandardCharsets.UTF_8),
                    100, "no");
            Reply stray = bob.next();
            bob.respond(stray.get("tid"), 481, "Session-does-not-exist");
            assertThat(alice.next().status()).isEqualTo(200);
            assertThat(alice.next().header("Status")).hasValueSatisfying(s -> assertThat(s).startsWith("000 481"));
        }
    }

    @Test
    @DisplayName("RFC 4975 §7.1.2, RFC 4976 §7.3: a receiver that never answers gives the sender a 408 failure REPORT, and the relay forgets the SEND")
    void silentReceiverTimesOut() throws Exception {
        try (PythonMsrpPeer alice = peer(); PythonMsrpPeer bob = peer()) {
            String aliceRelay = auth(alice, "alice");
            String bobRelay = auth(bob, "bob");
            alice.send(aliceRelay + " " + bobRelay + " " + bob.uri(), "text/plain", "anyone?".getBytes(StandardCharsets.UTF_8),
                    100, "no", Map.of("failure-report", "yes"));
            assertThat(bob.next().method()).isEqualTo("SEND");
            assertThat(alice.next().status()).isEqualTo(200);
            Reply report = alice.next(Duration.ofSeconds(10));
            assertThat(report.header("Status")).hasValueSatisfying(s -> assertThat(s).startsWith("000 408"));
        }
    }

    @Test
    @DisplayName("RFC 4976 §7.3: a slow sender (one byte at a time) is relayed intact; one that stops mid-message is cut off by the idle timeout and its connection closed")
    void slowSenders() throws Exception {
        try (PythonMsrpPeer alice = peer(); PythonMsrpPeer bob = peer()) {
            String aliceRelay = auth(alice, "alice");
            String bobRelay = auth(bob, "bob");
            byte[] body = new byte[120];
            new Random(3).nextBytes(body);
            String text = java.util.HexFormat.of().formatHex(body);
            alice.rawSlowly(send("ffff6666", aliceRelay + " " + bobRelay + " " + bob.uri(), alice.uri(),
                    "Byte-Range: 1-240/240\r\nFailure-Report: no\r\n", text, "-------ffff6666$\r\n")
                    .getBytes(StandardCharsets.UTF_8), Duration.ofMillis(3));
            assertThat(bob.receive().text()).isEqualTo(text);
        }
        try (TestRelay impatient = new TestRelay(Duration.ofSeconds(2), Duration.ofSeconds(1));
             PythonMsrpPeer loris = PythonMsrpPeer.start()) {
            loris.connect("tcp", impatient.port(T), null);
            assertThat(loris.auth(impatient.uri(T), "alice", "alice-secret").status()).isEqualTo(200);
            loris.raw("MSRP gggg7777 SEND\r\nTo-Path: " + impatient.uri(T) + "\r\nFrom-Path: " + loris.uri()
                    + "\r\nMessage-ID: m1\r\nContent-Type: text/plain\r\n\r\nthe rest never comes");
            assertThat(loris.closedByPeer(Duration.ofSeconds(10))).isTrue();
            for (int i = 0; i < 100 && impatient.relay.connectionCount() > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(impatient.relay.connectionCount()).isZero();
            assertThat(impatient.relay.grantCount()).as("its grant ended with its connection").isZero();
        }
    }
}
