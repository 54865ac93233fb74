package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.sip.transport.Transport;
import org.parley.testkit.DatabaseTarget;

/**
 * Registrations survive a restart (C1; GU-1): written through to the store, loaded at start, and
 * still routable — against H2 and against PostgreSQL. Also /metrics after real traffic.
 */
@DisplayName("C1, GU-1: bindings survive a restart on H2 and PostgreSQL; metrics count the traffic")
class RestartTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void bindingsSurviveRestart(DatabaseTarget db) throws Exception {
        Map<String, String> store = TestServer.database(db);
        String user = "judy" + Integer.toHexString(db.name().hashCode() & 0xfff);
        try (SipTestClient device = SipTestClient.udp(0)) {
            int sipPort;
            try (TestServer first = TestServer.start(dataDir, new SystemScheduler(), store)) {
                first.addUser(user, "judy-secret", null, List.of());
                first.addUser("x" + user, "x-secret", null, List.of());
                sipPort = first.sipPort(Transport.UDP);
                SipTestClient registering = SipTestClient.udpTo(device, sipPort);
                Registration reg = new Registration(registering, user);
                assertThat(reg.register("judy-secret", reg.contact("kept"), "3600", "").status()).isEqualTo(200);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + first.server().httpPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("parley_registrations_active").contains("parley_sip_messages_received_total")
                        .contains("REGISTER").contains("parley_sip_transactions_total").contains("parley_sip_connections");
            }
            try (TestServer second = TestServer.start(dataDir, new SystemScheduler(), store)) {
                assertThat(second.admin("/admin/v1/registrations?aor=sip:" + user + "@localhost")).contains("kept@127.0.0.1");
                // relayed only for an authenticated sender (issue 9 §3): x, on the connection it registered on
                try (SipTestClient sender = TrustedSender.open(second, "x" + user, "x-secret")) {
                    sender.send("OPTIONS sip:" + user + "@localhost SIP/2.0\nVia: " + sender.via()
                            + "\nFrom: <sip:x" + user + "@localhost>;tag=1\nTo: <sip:" + user + "@localhost>\nCall-ID: " + UUID.randomUUID()
                            + "\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n");
                    SipRequest m = device.receiveRequest();
                    assertThat(m.method()).isEqualTo("OPTIONS");
                    device.sendTo(m.createResponse(200, "k"), second.sipPort(Transport.UDP));
                    assertThat(sender.receiveResponse().status()).isEqualTo(200);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("C1, GU-1: registrations written behind reach the store on a clean stop, refreshes included")
    void writeBehindOnCleanStop(DatabaseTarget db) throws Exception {
        Map<String, String> store = new java.util.HashMap<>(TestServer.database(db));
        // an interval longer than the test: only the clean stop can write the bindings
        store.put("registrar.write-behind-ms", "3600000");
        String user = "kim" + Integer.toHexString(db.name().hashCode() & 0xfff);
        try (SipTestClient device = SipTestClient.udp(0)) {
            try (TestServer first = TestServer.start(dataDir, new SystemScheduler(), store)) {
                first.addUser(user, "kim-secret", null, List.of());
                Registration reg = new Registration(SipTestClient.udpTo(device, first.sipPort(Transport.UDP)), user);
                assertThat(reg.register("kim-secret", reg.contact("first"), "600", "").status()).isEqualTo(200);
                // a refresh with a new lifetime: the store must get the last state
                assertThat(reg.register("kim-secret", reg.contact("first"), "1800", "").status()).isEqualTo(200);
                assertThat(reg.register("kim-secret", reg.contact("second"), "900", "").status()).isEqualTo(200);
            }
            try (TestServer second = TestServer.start(dataDir, new SystemScheduler(), store)) {
                String bindings = second.admin("/admin/v1/registrations?aor=sip:" + user + "@localhost");
                assertThat(bindings).contains("first@127.0.0.1").contains("second@127.0.0.1");
            }
        }
    }
}
