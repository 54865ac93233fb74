package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.msrp.MsrpTransport;
import org.parley.testkit.TestCertificate;
import org.parley.testkit.msrp.PythonMsrpPeer;

/**
 * The Python peer over TLS, connection after connection (RFC 4975 §6: msrps is MSRP over TLS;
 * RFC 4976 §5: AUTH over TLS or WSS). The peer reads on one thread and writes on another; OpenSSL
 * allows one thread at a time in a connection's state, and a TLS 1.3 server (the JDK's) sends a
 * NewSessionTicket just as the client writes its first request. A peer whose reader thread was
 * inside OpenSSL for that ticket while its writer was in it for the AUTH broke the connection
 * about once in three hundred (its own "[SSL] internal error", or "bad record mac" from the
 * relay): the intermittent failures of the wire tests over TLS. Each connection here AUTHs at
 * once, so a few hundred of them meet that moment many times.
 */
@DisplayName("RFC 4975 §6, RFC 4976 §5: the Python peer over TLS and WSS, 150 connections each AUTHing at once")
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

    @ParameterizedTest
    @EnumSource(value = MsrpTransport.class, names = {"TLS", "WSS"})
    @DisplayName("RFC 4976 §5: every AUTH sent as the TLS handshake ends is answered, on every connection")
    void everyConnectionAuthenticates(MsrpTransport t) throws Exception {
        try (PythonMsrpPeer peer = PythonMsrpPeer.start()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                peer.connect(t.name().toLowerCase(Locale.ROOT), relay.port(t), trust);
                assertThat(peer.auth(relay.uri(t), "alice", TestRelay.PASSWORDS.get("alice")).status())
                        .as("AUTH on connection %d", i).isEqualTo(200);
                peer.command("close", Map.of());
            }
        }
    }
}
