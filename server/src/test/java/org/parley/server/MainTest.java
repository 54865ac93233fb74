package org.parley.server;

import org.parley.config.Config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.messaging.store.JdbiControlsStore;
import org.parley.messaging.store.JdbiOfflineStore;
import org.parley.messaging.store.MessagingControls;
import org.parley.messaging.store.NewStoredMessage;
import org.parley.messaging.store.Quota;
import org.parley.store.Database;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** C9 administer accounts (GO-2) from the command line; C1 one address per account (PP-45). */
@DisplayName("C9 administer accounts (GO-2) by CLI, C1, PP-45")
class MainTest {
    @TempDir
    Path dataDir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        return runWith(Map.of(), args);
    }

    private Result runWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result user(String... args) {
        List<String> all = new ArrayList<>(List.of("user"));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--data-dir", dataDir.toString()));
        return run(all.toArray(String[]::new));
    }

    @Test
    void addListPasswdDel() {
        Result added = user("add", "alice", "--password", "alice-secret", "--e164", "+44 20 7946 0000",
                "--alias", "ally", "--alias", "al", "--display-name", "Alice A");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("alice").contains("+442079460000").doesNotContain("alice-secret");
        assertThat(user("add", "bob", "--password", "bob-secret").code()).isZero();

        Result listed = user("list");
        assertThat(listed.code()).isZero();
        assertThat(listed.out()).contains("alice", "ally", "bob", "of 2 users");
        assertThat(user("list", "--offset", "1", "--limit", "1").out()).contains("bob").doesNotContain("alice");

        Result passwd = user("passwd", "alice", "--password", "new-alice-secret");
        assertThat(passwd.code()).as(passwd.err()).isZero();
        assertThat(passwd.out()).contains("alice");

        Result deleted = user("del", "bob");
        assertThat(deleted.code()).isZero();
        assertThat(user("list").out()).doesNotContain("bob");
    }

    @Test
    void refusalsExitWithOneAndSayWhy() {
        assertThat(user("add", "carol", "--password", "carol-secret", "--e164", "+15551234567").code()).isZero();

        Result duplicate = user("add", "dave", "--password", "dave-secret", "--e164", "+1 555 123 4567");
        assertThat(duplicate.code()).isEqualTo(1);
        assertThat(duplicate.err()).contains("refused");

        assertThat(user("add", "erin", "--password", "short").code()).isEqualTo(1);
        assertThat(user("del", "nobody").code()).isEqualTo(1);
        assertThat(user("del", "nobody").err()).contains("nobody");
        assertThat(user("passwd", "nobody", "--password", "whatever-pw").code()).isEqualTo(1);
    }

    @Test
    void wrongUsageExitsWithTwo() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(user("add", "frank").code()).as("no password").isEqualTo(2);
        assertThat(user("add").code()).isEqualTo(2);
        assertThat(user("add", "frank", "--password", "frank-pw", "--colour", "red").code()).isEqualTo(2);
        assertThat(user("list", "--limit", "many").code()).isEqualTo(2);
        assertThat(run("user").code()).isEqualTo(2);
        assertThat(run("user", "rename").code()).isEqualTo(2);
        assertThat(run("start", "--http-port").code()).isEqualTo(2);
    }

    @Test
    void badConfigurationIsRefusedWithTheKey() {
        Result result = run("user", "list", "--data-dir", dataDir.toString(), "--config",
                dataDir.resolve("missing.properties").toString());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).contains("missing.properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "user", "user add", "user passwd", "user del", "user list"})
    void everyCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
        args.add("--help");
        Result help = run(args.toArray(String[]::new));
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: parley " + command);
        if (command.startsWith("user ")) {
            assertThat(help.out()).as("issue 14 §3").contains("--domain NAME");
        }
    }

    /** The realm the CLI hashed alice's password for, read back from the store. */
    private String realmOf(String user) {
        ServerSettings settings = ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("data.dir", dataDir.toString())));
        try (Database db = Database.open(settings.db())) {
            return new JdbiAccountService(db, "any").credentials(user).orElseThrow().realm();
        }
    }

    @Test
    @DisplayName("issue 14 §3: 'user' hashes for the configured domain: --domain, the environment or the file, like 'start'")
    void userHashesPasswordsForTheConfiguredDomain() throws Exception {
        assertThat(user("add", "alice", "--password", "alice-secret", "--domain", "example.com").code()).isZero();
        assertThat(realmOf("alice")).isEqualTo("example.com");

        assertThat(runWith(Map.of("PARLEY_PARLEY_DOMAIN", "env.example"), "user", "add", "bob", "--password", "bob-secret",
                "--data-dir", dataDir.toString()).code()).isZero();
        assertThat(realmOf("bob")).isEqualTo("env.example");

        Path config = dataDir.resolve("parley.properties");
        Files.writeString(config, "parley.domain=file.example\n");
        assertThat(user("add", "carol", "--password", "carol-secret", "--config", config.toString()).code()).isZero();
        assertThat(realmOf("carol")).isEqualTo("file.example");

        // passwd re-hashes for the domain given now: the fix for accounts left behind by a domain change
        assertThat(user("passwd", "alice", "--password", "alice-secret2", "--domain", "file.example").code()).isZero();
        assertThat(realmOf("alice")).isEqualTo("file.example");

        assertThat(user("list", "--domain").code()).as("--domain needs a value").isEqualTo(2);
        assertThat(user("add", "dave", "--password", "dave-secret", "--domain", "").code()).isEqualTo(1);
    }

    @Test
    @DisplayName("issue 9 §7: 'user del' deletes what the stores keep about the account, not only the account")
    void userDelErasesTheAccountsStoredData() {
        assertThat(user("add", "alice", "--password", "alice-secret").code()).isZero();
        assertThat(user("add", "bob", "--password", "bob-secret").code()).isZero();
        ServerSettings settings = ServerSettings.from(Config.load(Optional.empty(), Map.of(),
                Map.of("data.dir", dataDir.toString())));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (Database db = Database.open(settings.db())) {
            new JdbiControlsStore(db).put("alice", new MessagingControls(false, true, Set.of("sip:x@localhost"), true,
                    true, Optional.empty()));
            new JdbiOfflineStore(db).store(new NewStoredMessage("sip:alice@localhost", "sip:bob@localhost", now,
                    now.plusSeconds(3600), "text/plain", Optional.empty(), "", "MESSAGE".getBytes(StandardCharsets.UTF_8)),
                    new Quota(10, 10_000));
            new JdbiAuthAttemptLog(db).record(new AuthAttempt(now, "alice", false, "bad-password", "sip-register",
                    "192.0.2.1:5060", "UDP", Optional.empty()));
        }

        Result deleted = user("del", "alice");

        assertThat(deleted.code()).as(deleted.err()).isZero();
        try (Database db = Database.open(settings.db())) {
            assertThat(new JdbiControlsStore(db).get("alice")).isEqualTo(MessagingControls.DEFAULT);
            assertThat(new JdbiOfflineStore(db).concerning("sip:alice@localhost")).isEmpty();
            assertThat(new JdbiAuthAttemptLog(db).concerning(List.of("alice"))).isEmpty();
            assertThat(new JdbiAccountService(db, "localhost").find("bob")).isPresent();
        }
        assertThat(user("del", "alice").code()).isEqualTo(1);
    }

    @Test
    void topLevelHelp() {
        assertThat(run("--help").out()).contains("start", "user", "PARLEY_");
        assertThat(run("help").code()).isZero();
    }
}
