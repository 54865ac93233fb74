package org.parley.msrp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.msrp.MsrpTransport;
import org.parley.testkit.TestCertificate;
import org.parley.testkit.msrp.PythonMsrpPeer;
import org.parley.testkit.msrp.PythonMsrpPeer.Reply;

/**
 * The relay against the independent Python peer (testkit {@code msrp_peer.py}, written from the
 * RFC text alone): AUTH with digest on every transport, chunked messages relayed and put back
 * together, success reports back to the sender.
 */
class PythonPeerRelayWireTest {
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

    static PythonMsrpPeer connected(TestRelay relay, Path trust, MsrpTransport t) throws Exception {
        PythonMsrpPeer peer = PythonMsrpPeer.start();
        peer.connect(t.name().toLowerCase(java.util.Locale.ROOT), relay.port(t), trust);
        return peer;
    }

    @ParameterizedTest
    @EnumSource(MsrpTransport.class)
    @DisplayName("RFC 4976 §5, RFC 7977: the Python peer AUTHs with digest over TCP, TLS, WS and WSS and gets a Use-Path URI of the relay")
    void auth(MsrpTransport t) throws Exception {
        try (PythonMsrpPeer alice = connected(relay, trust, t)) {
            Reply ok = alice.auth(relay.uri(t), "alice", TestRelay.PASSWORDS.get("alice"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.get("use-path")).startsWith((t.secure() ? "msrps" : "msrp") + "://127.0.0.1:" + relay.port(t) + "/")
                    .endsWith(";" + t.uriTransport());
            assertThat(ok.get("expires")).isEqualTo("1800");
        }
    }

    @ParameterizedTest
    @CsvSource({"TLS, WSS, 70000, 16384", "TCP, WS, 41, 7", "WSS, TCP, 300000, 65000"})
    @DisplayName("RFC 4975 §7.1.1, §7.1.3, RFC 4976 §7: a chunked SEND through the relay arrives whole; the relay answers each chunk, the receiver's success REPORT reaches the sender")
    void chunkedSendWithSuccessReport(MsrpTransport aliceOver, MsrpTransport bobOver, int size, int chunk)
            throws Exception {
        try (PythonMsrpPeer alice = connected(relay, trust, aliceOver);
             PythonMsrpPeer bob = connected(relay, trust, bobOver)) {
            String aliceRelay = alice.auth(relay.uri(aliceOver), "alice", "alice-secret").get("use-path");
            String bobRelay = bob.auth(relay.uri(bobOver), "bob", "bob-secret").get("use-path");
            byte[] body = new byte[size];
            new Random(size).nextBytes(body);
            Reply sent = alice.send(aliceRelay + " " + bobRelay + " " + bob.uri(), "application/octet-stream", body,
                    chunk, "yes");
            int chunks = (size + chunk - 1) / chunk;
            assertThat(sent.tids()).hasSize(chunks);

            Reply got = bob.receive();
            assertThat(got.kind()).isEqualTo("message");
            assertThat(got.body()).isEqualTo(body);
            assertThat(got.get("message-id")).isEqualTo(sent.get("message-id"));
            assertThat(got.get("chunks")).isEqualTo(Integer.toString(chunks));
            assertThat(got.get("from-path")).isEqualTo(bobRelay + " " + aliceRelay + " " + alice.uri());

            for (int i = 0; i < chunks; i++) {
                Reply ok = alice.next();
                assertThat(ok.kind()).isEqualTo("response");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.get("tid")).isEqualTo(sent.tids().get(i));
            }
            Reply report = alice.next();
            assertThat(report.method()).isEqualTo("REPORT");
            assertThat(report.header("Status")).contains("000 200 OK");
            assertThat(report.header("Message-ID")).contains(sent.get("message-id"));
            assertThat(report.header("Byte-Range")).contains("1-" + size + "/" + size);
            assertThat(report.header("From-Path")).contains(aliceRelay + " " + bobRelay + " " + bob.uri());
            assertThat(relay.relay.pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MsrpTransport.class, names = {"WS", "WSS"})
    @DisplayName("RFC 7977 §5: text over WebSocket, both ends browsers-alike: a UTF-8 message in one chunk, no reports asked")
    void textOverWebSocket(MsrpTransport t) throws Exception {
        try (PythonMsrpPeer alice = connected(relay, trust, t); PythonMsrpPeer bob = connected(relay, trust, t)) {
            String aliceRelay = alice.auth(relay.uri(t), "alice", "alice-secret").get("use-path");
            String bobRelay = bob.auth(relay.uri(t), "bob", "bob-secret").get("use-path");
            alice.send(aliceRelay + " " + bobRelay + " " + bob.uri(), "text/plain;charset=UTF-8",
                    "grüß dich, Bob".getBytes(StandardCharsets.UTF_8), 4096, "no");
            Reply got = bob.receive();
            assertThat(got.text()).isEqualTo("grüß dich, Bob");
            assertThat(got.get("content-type")).isEqualTo("text/plain;charset=UTF-8");
        }
    }
}
