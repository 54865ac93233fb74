package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;

/**
 * Issue 9 §1 acceptance over the wire: idle connections opened from two addresses past the
 * configured caps (per address, and the file descriptor reserve) while HTTP, HTTPS and SIP keep
 * answering a legitimate client, during the flood and after it; /health tells the truth about
 * each listener throughout.
 */
@DisplayName("GS-4, PP2-3 (denial of service and floods), RFC 5626 §4.4: connection exhaustion: caps and fd reserve keep HTTP, HTTPS and SIP answering (issue 9 §1)")
class ConnectionExhaustionTest {
    @TempDir
    Path dataDir;
    private TestServer server;
    private final List<Socket> flood = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : flood) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Map<String, String> settings) {
        server = TestServer.start(dataDir, new SystemScheduler(), settings);
    }

    /** Opens idle connections to the SIP TCP port from a loopback address standing for an attacker host. */
    private void floodFrom(String address, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.sipPort(Transport.TCP)), 2000);
            flood.add(s);
        }
    }

    /** How many flood connections the server has closed (each refused one is closed at once). */
    private long closedByServer() throws IOException {
        long closed = 0;
        for (Socket s : flood) {
            s.setSoTimeout(1);
            try {
                if (s.getInputStream().read() < 0) {
                    closed++;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                closed++;
            }
        }
        return closed;
    }

    private SipResponse options(SipTestClient client, String callId) throws IOException {
        client.send(SipParser.parse(("OPTIONS sip:localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/" + client.transport() + " " + client.localAddress() + ":" + client.localPort()
                + ";rport;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:probe@example.net>;tag=" + callId + "\r\nTo: <sip:localhost>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes()));
        return client.receiveResponse();
    }

    private HttpResponse<String> health(boolean https) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (https) {
            b.sslContext(TrustedCertificate.context(dataDir));
        }
        int port = https ? server.server().httpsPort() : server.server().httpPort();
        return b.build().send(HttpRequest.newBuilder(URI.create((https ? "https" : "http") + "://localhost:" + port
                + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void everythingAnswers(SipTestClient connectedBefore, String round) throws Exception {
        for (boolean https : new boolean[] {false, true}) {
            HttpResponse<String> health = health(https);
            assertThat(health.statusCode()).as("/health over " + (https ? "HTTPS" : "HTTP")).isEqualTo(200);
            assertThat(health.body()).contains("\"listener:http\":\"UP\"", "\"listener:https\":\"UP\"",
                    "\"listener:sip-tcp\":\"UP\"", "\"listener:sip-udp\":\"UP\"", "\"listener:sip-ws\":\"UP\"");
        }
        try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            assertThat(options(udp, "udp-" + round).status()).isEqualTo(200);
        }
        assertThat(options(connectedBefore, "tcp-" + round).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("per-address cap: two flooding addresses get 20 connections each; another client still connects and is served")
    void perAddressCap() throws Exception {
        start(Map.of("sip.max-connections-per-address", "20"));
        try (SipTestClient before = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            assertThat(options(before, "before").status()).isEqualTo(200);
            floodFrom("127.0.0.2", 60);
            floodFrom("127.0.0.3", 60);
            Thread.sleep(500);
            assertThat(closedByServer()).as("connections over the per-address cap closed").isEqualTo(80);
            everythingAnswers(before, "during");
            try (SipTestClient fresh = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
                assertThat(options(fresh, "fresh").status()).isEqualTo(200);
            }
            assertThat(server.http("GET", "/metrics", null, null).body())
                    .containsPattern("parley_sip_connections_refused_total\\{limit=\"per_address\",transport=\"tcp\"} 80");
        }
    }

    @Test
    @DisplayName("fd reserve: a flood that would eat the last file descriptors is refused; HTTP, HTTPS, SIP answer during and after")
    void fileDescriptorReserve() throws Exception {
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // The reserve leaves room for about 200 more descriptors in this process: the flood's
        // client sockets (in this same JVM) and the server's accepted ones both use them up.
        long reserve = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 200;
        start(Map.of("sip.fd-reserve", Long.toString(reserve), "sip.max-connections-per-address", "10000",
                "http.max-connections", "64"));
        try (SipTestClient before = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            assertThat(options(before, "before").status()).isEqualTo(200);
            floodFrom("127.0.0.2", 150);
            floodFrom("127.0.0.3", 150);
            Thread.sleep(500);
            assertThat(closedByServer()).as("connections refused to keep the reserve").isGreaterThan(100);
            everythingAnswers(before, "during");
            try (SipTestClient beyond = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
                assertThat(beyond.poll(1000)).as("a new SIP connection is refused, not hung").isEmpty();
            } catch (IOException | AssertionError refused) {
                // closed at once: what the reserve is for
            }
            for (Socket s : flood) {
                s.close();
            }
            flood.clear();
            Thread.sleep(1000);
            everythingAnswers(before, "after");
            try (SipTestClient fresh = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
                assertThat(options(fresh, "after-fresh").status()).isEqualTo(200);
            }
        }
    }
}
