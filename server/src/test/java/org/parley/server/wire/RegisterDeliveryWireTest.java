package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.TestServer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * What a REGISTER tells messaging, over the wire (C2 offline delivery, MU-3, UC 5.13): a message
 * stored while its recipient was offline arrives at the next REGISTER, and so does one whose store
 * was still under way — held inside its insert by an H2 trigger — while the recipient registered:
 * the REGISTER found nothing waiting, the store's own look for a device after its commit finds it.
 */
@DisplayName("C2 offline, UC 5.13: stored messages arrive at the next REGISTER, also one stored while that REGISTER is served")
class RegisterDeliveryWireTest {
    static TestServer server;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(dataDir, new ManualScheduler(), Map.of());
        for (String u : List.of("alice", "bob", "carol")) {
            server.addUser(u, u + "-secret", null, List.of());
        }
        OfflineStoreTrigger.install(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void heal() {
        OfflineStoreTrigger.heal();
    }

    private static void register(SipTestClient device, String user) throws IOException {
        Registration reg = new Registration(device, user);
        assertThat(reg.register(user + "-secret", reg.contact(user), "3600", "").status()).isEqualTo(200);
    }

    private static String text(SipRequest m) {
        return new String(m.body(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("C2 offline, UC 5.13: stored for an offline user (202), delivered after the summary at its REGISTER; a refresh brings nothing more")
    void storedThenDeliveredAtRegister() throws IOException {
        try (SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            assertThat(new Pager(alice, "alice", "alice-secret").send("sip:carol@localhost", "while you were away")
                    .status()).isEqualTo(202);
        }
        try (SipTestClient carol = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            register(carol, "carol");
            SipRequest summary = carol.receiveRequest();
            carol.send(summary.createResponse(200, "c"));
            SipRequest message = carol.receiveRequest();
            carol.send(message.createResponse(200, "c"));
            assertThat(text(summary)).contains("1 message waiting");
            assertThat(text(message)).isEqualTo("while you were away");

            register(carol, "carol");
            assertThat(carol.silentFor(300)).as("a refresh with nothing waiting brings nothing").isTrue();
        }
    }

    @Test
    @DisplayName("C2 offline, UC 5.13: the REGISTER is answered while the message's store is under way — delivered right after its commit")
    void storedWhileRegistering() throws Exception {
        OfflineStoreTrigger.reset(OfflineStoreTrigger.Mode.HOLD);
        try (SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP));
             SipTestClient bob = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Pager pager = new Pager(alice, "alice", "alice-secret");
            CompletableFuture<SipResponse> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return pager.send("sip:bob@localhost", "raced");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // no device found: the message is being stored, held inside its insert
            assertThat(OfflineStoreTrigger.entered.await(10, TimeUnit.SECONDS)).as("the store was reached").isTrue();
            register(bob, "bob");
            assertThat(bob.silentFor(300)).as("nothing was waiting when bob registered").isTrue();

            OfflineStoreTrigger.release.countDown();
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
            SipRequest got = bob.receiveRequest();
            bob.send(got.createResponse(200, "b"));
            assertThat(text(got)).isEqualTo("raced");
        }
    }
}
