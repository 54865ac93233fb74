package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.msrp.MsrpTransport;
import org.parley.testkit.TestCertificate;
import org.parley.testkit.msrp.PythonMsrpPeer;

/**
 * The Python peer over TLS, connection after connection (RFC 4975 §6: msrps is MSRP over TLS;
 * RFC 4976 §5: AUTH). The peer reads on one thread and writes on another; OpenSSL allows one
 * thread at a time in a connection, and the relay's TLS 1.3 (the JDK's) sends a NewSessionTicket
 * just as the client writes its first request. A peer whose reader thread was in OpenSSL for that
 * ticket while its writer was in it for the AUTH broke the connection (its own "[SSL] internal
 * error", or the AUTH answer never read): 150 connections failed 3 runs in 5 before the peer kept
 * OpenSSL to one thread. Over WSS the WebSocket handshake is read by the writing thread, which
 * takes the ticket in; plain TLS is where the two meet.
 */
@DisplayName("RFC 4975 §6, RFC 4976 §5: the Python peer over TLS, 150 connections each AUTHing as the handshake ends")
class PythonPeerTlsWireTest {
    private static final int CONNECTIONS = 150;
    private static TestRelay relay;
    private static Path trust;

    @BeforeAll
    static void start() throws Exception {
        relay = new TestRelay();
        trust = TestCertificate.get().pemFile();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    @DisplayName("RFC 4976 §5: every AUTH sent as the TLS handshake ends is answered, on every connection")
    void everyConnectionAuthenticates() throws Exception {
        try (PythonMsrpPeer peer = PythonMsrpPeer.start()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                peer.connect("tls", relay.port(MsrpTransport.TLS), trust);
                assertThat(peer.auth(relay.uri(MsrpTransport.TLS), "alice", TestRelay.PASSWORDS.get("alice")).status())
                        .as("AUTH on connection %d", i).isEqualTo(200);
                peer.command("close", Map.of());
            }
        }
    }
}
