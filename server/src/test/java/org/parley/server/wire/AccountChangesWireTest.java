package org.parley.server.wire;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.accounts.AccountMemory;
import org.parley.server.Main;
import org.parley.server.TestServer;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.sip.transport.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running server holds accounts and their HA1 in memory (issue 13 §1); what {@code parley user}
 * changes from the shell, on the same embedded store, is in force for SIP within
 * {@code accounts.memory.change-poll-ms} — the bound the configuration file states.
 */
@DisplayName("issue 13 §1, C9 (GO-2), GS-1: a change by 'parley user' is in force for REGISTER within accounts.memory.change-poll-ms")
class AccountChangesWireTest {
    private static final Duration POLL = Duration.ofMillis(500);

    @TempDir
    Path dataDir;

    private void cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--data-dir", dataDir.toString(), "--domain", "localhost"}, 0, all,
                args.length, 4);
        int code = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(all);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static int register(TestServer server, String user, String password) throws IOException {
        try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
            Registration reg = new Registration(udp, user);
            return reg.register(password, reg.contact("cli"), "60", "").status();
        }
    }

    @Test
    @DisplayName("issue 13 §1, GO-2: password changed and account added by the CLI, in force after one marker reading")
    void cliChangesReachTheRunningServer() throws IOException {
        ManualScheduler scheduler = new ManualScheduler();
        try (TestServer server = TestServer.start(dataDir, scheduler,
                Map.of("accounts.memory.change-poll-ms", Long.toString(POLL.toMillis())))) {
            server.addUser("alice", "alice-secret-1", null, List.of());
            assertThat(register(server, "alice", "alice-secret-1")).isEqualTo(200);
            assertThat(register(server, "dave", "dave-secret-1")).as("no such account yet").isIn(401, 403);

            cli("user", "passwd", "alice", "--password", "alice-secret-2");
            cli("user", "add", "dave", "--password", "dave-secret-1");
            scheduler.advance(POLL);

            assertThat(register(server, "alice", "alice-secret-2")).isEqualTo(200);
            assertThat(register(server, "alice", "alice-secret-1")).isIn(401, 403);
            assertThat(register(server, "dave", "dave-secret-1")).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("issue 13 §1: steady REGISTER traffic (refreshes, their attempts journalled, bindings written behind) never "
            + "reloads an account while the change marker is polled")
    void steadyRegisterTrafficNeverReloadsAccounts() throws IOException {
        ManualScheduler scheduler = new ManualScheduler();
        try (TestServer server = TestServer.start(dataDir, scheduler,
                Map.of("accounts.memory.change-poll-ms", Long.toString(POLL.toMillis())))) {
            List<String> users = List.of("alice", "bob", "carol");
            // created through the server, as the bench's admin API does: each write moves the marker
            users.forEach(u -> server.addUser(u, u + "-secret-1", null, List.of()));
            AccountMemory accounts = (AccountMemory) server.server().context().accounts();
            try (SipTestClient udp = SipTestClient.udp(server.sipPort(Transport.UDP))) {
                for (String u : users) {
                    Registration reg = new Registration(udp, u);
                    assertThat(reg.register(u + "-secret-1", reg.contact("steady"), "3600", "").status()).isEqualTo(200);
                }
                long loaded = accounts.loads();
                assertThat(loaded).as("each user's account and HA1 read once").isPositive();

                for (int round = 0; round < 5; round++) {
                    scheduler.advance(POLL);
                    for (String u : users) {
                        Registration reg = new Registration(udp, u);
                        assertThat(reg.register(u + "-secret-1", reg.contact("steady"), "3600", "").status()).isEqualTo(200);
                    }
                }
                assertThat(accounts.loads()).as("refreshes after five marker readings: nothing read again").isEqualTo(loaded);
            }
        }
    }
}
