package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.session.MessageRefused;
import org.parley.msrp.session.MsrpSession;
import org.parley.msrp.session.MsrpSessions;
import org.parley.msrp.testpeer.PeerMessage;
import org.parley.msrp.testpeer.SocketLink;
import org.parley.msrp.testpeer.TestPeer;

/**
 * Parley's own endpoint as the relay's next hop (RFC 4976 §7; deferred sessions whose sender is
 * behind NAT or in a browser): the independent test peer reaches an endpoint session through the
 * relay; the session's own answers come back through it, and nobody else's traffic is carried there.
 */
@DisplayName("RFC 4976 §7, RFC 4975 §7.3: the relay carries a session's SENDs to Parley's own endpoint")
class RelayToLocalEndpointWireTest {
    private static final MsrpSessions sessions = new MsrpSessions();
    private static final Map<String, String> received = new ConcurrentHashMap<>();
    private static TestRelay fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new TestRelay(Duration.ofSeconds(30), Duration.ZERO, new LocalEndpoint() {
            @Override
            public boolean serves(MsrpUri uri, MsrpUri relayUri) {
                return sessions.serves(uri, relayUri);
            }

            @Override
            public List<MsrpMessage> receive(MsrpRequest request) {
                return sessions.receive(request);
            }
        });
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static TestPeer peer(String name) throws Exception {
        return new TestPeer(SocketLink.tcp(fixture.port(MsrpTransport.TCP)),
                "msrp://127.0.0.1:2855/" + name + TestPeer.id() + ";tcp");
    }

    private static String authenticate(TestPeer p, String user) throws Exception {
        PeerMessage ok = p.auth(fixture.uri(MsrpTransport.TCP), user, TestRelay.PASSWORDS.get(user));
        assertThat(ok.status()).isEqualTo(200);
        return ok.header("Use-Path");
    }

    /** An endpoint session whose peer's path is {@code relay} then {@code peer}; a body "refuse" is refused 413. */
    private static MsrpUri session(String relay, String peer) {
        MsrpUri local = MsrpUri.of(false, "127.0.0.1", 2857, TestPeer.id(), "tcp");
        sessions.add(new MsrpSession(local, List.of(MsrpUri.parse(relay).orElseThrow(), MsrpUri.parse(peer)
                .orElseThrow()), List.of("*"), 100_000, 2048, (s, messageId, type, content) -> {
                    String text = new String(content, StandardCharsets.UTF_8);
                    if (text.equals("refuse")) {
                        throw new MessageRefused(413, "store full");
                    }
                    received.put(messageId, text);
                }));
        return local;
    }

    @Test
    @DisplayName("RFC 4976 §7.3, RFC 4975 §7.1.3: chunks through the relay get the endpoint's own 200s (no relay 200 before), the success REPORT comes back with the relay's URI in front of its From-Path, a refusal (413) reaches the sender")
    void senderThroughTheRelay() throws Exception {
        try (TestPeer alice = peer("alice")) {
            String aliceRelay = authenticate(alice, "alice");
            MsrpUri local = session(aliceRelay, alice.uri);
            String messageId = TestPeer.id();
            List<String> tids = alice.send(aliceRelay + " " + local, messageId, "text/plain",
                    "stored for later".getBytes(StandardCharsets.UTF_8), 6, "yes");
            for (String tid : tids) {
                PeerMessage ok = alice.read();
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.tid()).isEqualTo(tid);
                assertThat(ok.header("To-Path")).isEqualTo(alice.uri);
                assertThat(ok.header("From-Path")).isEqualTo(aliceRelay);
            }
            assertThat(received).containsEntry(messageId, "stored for later");
            PeerMessage report = alice.read();
            assertThat(report.method()).isEqualTo("REPORT");
            assertThat(report.header("Status")).isEqualTo("000 200 OK");
            assertThat(report.header("To-Path")).isEqualTo(alice.uri);
            assertThat(report.header("From-Path")).isEqualTo(aliceRelay + " " + local);

            List<String> refused = alice.send(aliceRelay + " " + local, TestPeer.id(), "text/plain",
                    "refuse".getBytes(StandardCharsets.UTF_8), 2048, "no");
            PeerMessage full = alice.read();
            assertThat(full.tid()).isEqualTo(refused.getFirst());
            assertThat(full.status()).isEqualTo(413);
        }
    }

    @Test
    @DisplayName("RFC 4976 §7: a user naming an endpoint session that is not theirs (its path does not hold their relay URI) is refused 403 and nothing reaches the session")
    void strangerRefused() throws Exception {
        try (TestPeer alice = peer("alice"); TestPeer bob = peer("bob")) {
            String aliceRelay = authenticate(alice, "alice");
            String bobRelay = authenticate(bob, "bob");
            MsrpUri local = session(aliceRelay, alice.uri);
            String messageId = TestPeer.id();
            bob.send(bobRelay + " " + local, messageId, "text/plain", "let me in".getBytes(StandardCharsets.UTF_8), 2048,
                    "no");
            assertThat(bob.read().status()).isEqualTo(403);
            assertThat(received).doesNotContainKey(messageId);
        }
    }
}
