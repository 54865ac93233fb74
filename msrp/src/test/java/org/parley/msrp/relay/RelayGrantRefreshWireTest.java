package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.testpeer.PeerMessage;
import org.parley.msrp.testpeer.SocketLink;
import org.parley.msrp.testpeer.TestPeer;
import org.parley.testkit.MutableClock;

/**
 * The life of a relay grant (RFC 4976 §5): a client that AUTHs again over its connection before
 * its grant ends keeps the URI it had, so the sessions it set up with it go on past the first
 * expiry; a grant that ended carries nothing more and says why. The relay's clock is moved by the
 * test; the peers are the independent test peers over TCP.
 */
@DisplayName("RFC 4976 §5, §5.1: relay grants are refreshed with their URI kept, and refuse traffic once they end")
class RelayGrantRefreshWireTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private TestRelay fixture;
    private TestPeer alice;
    private TestPeer bob;
    private String bobRelay;

    @BeforeEach
    void start() throws Exception {
        fixture = new TestRelay(clock);
        alice = new TestPeer(SocketLink.tcp(fixture.port(MsrpTransport.TCP)), "msrp://127.0.0.1:2855/a" + TestPeer.id() + ";tcp");
        bob = new TestPeer(SocketLink.tcp(fixture.port(MsrpTransport.TCP)), "msrp://127.0.0.1:2855/b" + TestPeer.id() + ";tcp");
        bobRelay = granted(bob.auth(fixture.uri(MsrpTransport.TCP), "bob", TestRelay.PASSWORDS.get("bob")), null);
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        fixture.close();
    }

    @Test
    @DisplayName("RFC 4976 §5.1: AUTH again before the grant ends is 200 with the same Use-Path and the new Expires; the session goes on past the first expiry")
    void refreshKeepsTheUri() throws Exception {
        String aliceRelay = authAlice(60);
        assertThat(exchange(aliceRelay, "before")).isEqualTo("before");

        clock.advance(Duration.ofSeconds(50));
        assertThat(authAlice(120)).as("the refreshed grant's URI").isEqualTo(aliceRelay);
        clock.advance(Duration.ofSeconds(30)); // 80 s: past the first grant's 60 s, within the refresh's 120
        assertThat(exchange(aliceRelay, "after the refresh")).isEqualTo("after the refresh");
        assertThat(fixture.relay.grantCount()).as("one grant per connection, refreshed in place").isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 4976 §5: once a grant has ended, a SEND naming it (as sender or as receiver) is refused 403 saying it expired, and nothing is carried; AUTH again gives a new URI that works")
    void expiredGrantRefusesTraffic() throws Exception {
        String aliceRelay = authAlice(60);
        clock.advance(Duration.ofSeconds(61));

        alice.send(aliceRelay + " " + bobRelay + " " + bob.uri, TestPeer.id(), "text/plain",
                "too late".getBytes(StandardCharsets.UTF_8), 1024, "no");
        PeerMessage refused = alice.read();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.comment()).contains("expired");

        bob.send(bobRelay + " " + aliceRelay + " " + alice.uri, TestPeer.id(), "text/plain",
                "to an ended grant".getBytes(StandardCharsets.UTF_8), 1024, "no");
        PeerMessage toEnded = bob.read();
        assertThat(toEnded.status()).as("the receiver's grant has ended").isEqualTo(403);
        assertThat(toEnded.comment()).contains("expired");

        String renewed = authAlice(60);
        assertThat(renewed).as("a grant that ended is not revived").isNotEqualTo(aliceRelay);
        assertThat(exchange(renewed, "with the new grant")).as("the first message bob gets").isEqualTo("with the new grant");
    }

    private String authAlice(long expires) throws Exception {
        return granted(alice.auth(fixture.uri(MsrpTransport.TCP), "alice", TestRelay.PASSWORDS.get("alice"), expires),
                expires);
    }

    private static String granted(PeerMessage ok, Long expires) {
        assertThat(ok.status()).as("AUTH answer").isEqualTo(200);
        if (expires != null) {
            assertThat(ok.header("Expires")).isEqualTo(expires.toString());
        }
        return ok.header("Use-Path");
    }

    /** Alice sends a message to bob through the relay; bob answers it; returns what bob received. */
    private String exchange(String aliceRelay, String text) throws Exception {
        alice.send(aliceRelay + " " + bobRelay + " " + bob.uri, TestPeer.id(), "text/plain",
                text.getBytes(StandardCharsets.UTF_8), 1024, "no");
        PeerMessage received = bob.read();
        bob.ok(received);
        assertThat(alice.read().status()).as("the relay's hop-by-hop 200").isEqualTo(200);
        return new String(received.body(), StandardCharsets.UTF_8);
    }
}
