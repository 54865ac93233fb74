package org.parley.server;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** C9 administer accounts (GO-2) from the command line; C1 one address per account (PP-45). */
@DisplayName("C9 administer accounts (GO-2) by CLI, C1, PP-45")
class MainTest {
    @TempDir
    Path dataDir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
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
    }

    @Test
    void topLevelHelp() {
        assertThat(run("--help").out()).contains("start", "user", "PARLEY_");
        assertThat(run("help").code()).isZero();
    }
}
