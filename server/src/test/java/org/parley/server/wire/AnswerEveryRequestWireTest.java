package org.parley.server.wire;

import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.server.TestServer;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

/**
 * Issue 14 §2 over the wire: a MESSAGE whose store-and-forward fails in its failure branch (no
 * device, then the store fails) is answered 500 once instead of never, and one whose store
 * hangs is answered 500 by the transaction watchdog at the answer deadline (RFC 3261 §17.2.2
 * has no timer before the final response). The offline store is broken by an H2 trigger inside
 * the real server; the server runs on a manual clock.
 */
@DisplayName("Issue 14 §2: every request gets a final answer, over the wire")
class AnswerEveryRequestWireTest {
    static ManualScheduler clock;
    static TestServer server;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        clock = new ManualScheduler();
        server = TestServer.start(dataDir, clock, Map.of("sip.transaction.answer-deadline-ms", "5000"));
        server.addUser("alice", "alice-secret", null, List.of());
        server.addUser("bob", "bob-secret", null, List.of());
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

    @Test
    @DisplayName("no device and a failing store: 500, nothing stored, no second answer")
    void failingStoreIsAnswered500() throws IOException {
        OfflineStoreTrigger.reset(OfflineStoreTrigger.Mode.FAIL);
        try (SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            SipResponse r = new Pager(alice, "alice", "alice-secret").send("sip:bob@localhost", "are you there?");
            assertThat(r.status()).isEqualTo(500);
            assertThat(alice.silentFor(300)).as("exactly one final answer").isTrue();
        }
        assertThat(waiting("sip:bob@localhost")).isZero();

        OfflineStoreTrigger.reset(OfflineStoreTrigger.Mode.PASS);
        try (SipTestClient alice = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            assertThat(new Pager(alice, "alice", "alice-secret").send("sip:bob@localhost", "now?").status())
                    .as("the store works again").isEqualTo(202);
        }
        assertThat(waiting("sip:bob@localhost")).isEqualTo(1);
    }

    @Test
    @DisplayName("a store that hangs: the watchdog answers 500 at the deadline (5 s here), not before")
    void hungStoreIsAnsweredByTheWatchdog() throws Exception {
        OfflineStoreTrigger.reset(OfflineStoreTrigger.Mode.HANG);
        try (SipTestClient alice = SipTestClient.tcp(server.sipPort(Transport.TCP))) {
            Pager pager = new Pager(alice, "alice", "alice-secret");
            CompletableFuture<SipResponse> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return pager.send("sip:bob@localhost", "hello?");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(OfflineStoreTrigger.entered.await(5, TimeUnit.SECONDS)).as("the store was reached").isTrue();
            clock.advance(Duration.ofMillis(4900));
            assertThat(answer).as("no answer before the deadline").isNotDone();

            clock.advance(Duration.ofMillis(100));
            SipResponse r = answer.get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.reason()).contains("no answer in time");

            OfflineStoreTrigger.release.countDown(); // the hung insert gives up; its late 500 is not sent
            assertThat(alice.silentFor(500)).as("exactly one final answer").isTrue();
        }
    }

    private static int waiting(String aor) {
        return server.server().context().database().jdbi().withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM offline_message WHERE recipient_aor = :r").bind("r", aor)
                        .mapTo(Integer.class).one());
    }
}
