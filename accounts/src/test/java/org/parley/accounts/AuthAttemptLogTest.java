package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Auto Registration: record registration and login attempts (C1, GS-1)")
class AuthAttemptLogTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456Z");

    private static AuthAttempt attempt(int secondsAfter, String identity, boolean success) {
        return new AuthAttempt(T0.plusSeconds(secondsAfter), identity, success, success ? "ok" : "bad-password",
                "sip-register", "192.0.2.5:5060", "UDP", Optional.of("Phone/1.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void recordsSuccessesAndFailuresAndListsNewestFirst(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AuthAttemptLog log = new JdbiAuthAttemptLog(db);
            AuthAttempt first = attempt(0, "alice", false);
            AuthAttempt second = attempt(5, "bob", true);
            AuthAttempt third = attempt(10, "alice", true);
            AuthAttempt noAgent = new AuthAttempt(T0.plusSeconds(7), "+442079460000", false, "unknown-user",
                    "http-admin", "[2001:db8::1]:443", "TLS", Optional.empty());
            log.record(third);
            log.record(first);
            log.record(noAgent);
            log.record(second);

            Page<AuthAttempt> all = log.list(Optional.empty(), 0, 10);
            assertThat(all.items()).containsExactly(third, noAgent, second, first);
            assertThat(all.total()).isEqualTo(4);

            Page<AuthAttempt> alices = log.list(Optional.of("alice"), 0, 10);
            assertThat(alices.items()).containsExactly(third, first);
            assertThat(alices.total()).isEqualTo(2);

            Page<AuthAttempt> page = log.list(Optional.empty(), 1, 2);
            assertThat(page.items()).containsExactly(noAgent, second);
            assertThat(page.total()).isEqualTo(4);
            assertThat(log.list(Optional.of("nobody"), 0, 10).items()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("C1, issue 13: a batch of several INSERT statements keeps every attempt and its time, to the microsecond")
    void aBatchKeepsEveryAttemptAndItsTime(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            JdbiAuthAttemptLog log = new JdbiAuthAttemptLog(db);
            // 100 attempts: a statement of 64 rows and one of 36; times with nanoseconds, one before 1970
            List<AuthAttempt> batch = java.util.stream.IntStream.range(0, 100)
                    .mapToObj(i -> new AuthAttempt((i == 0 ? Instant.parse("1969-07-20T20:17:40.000000999Z") : T0)
                            .plusNanos(i * 1_000_555L), "user" + i, i % 2 == 0, "ok", "sip-register",
                            "192.0.2.5:5060", "UDP", Optional.empty()))
                    .toList();
            log.recordAll(batch);

            List<AuthAttempt> expected = batch.reversed().stream()
                    .map(a -> new AuthAttempt(a.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS), a.identity(),
                            a.success(), a.reason(), a.door(), a.source(), a.transport(), a.userAgent()))
                    .toList();
            assertThat(log.list(Optional.empty(), 0, 100).items()).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void oversizedValuesFromPeersAreClippedNotRefused(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AuthAttemptLog log = new JdbiAuthAttemptLog(db);
            log.record(new AuthAttempt(T0, "x".repeat(1000), false, "unknown-user", "sip-register",
                    "192.0.2.5:5060", "UDP", Optional.of("u".repeat(5000))));

            AuthAttempt stored = log.list(Optional.empty(), 0, 1).items().get(0);
            assertThat(stored.identity()).hasSize(256);
            assertThat(stored.userAgent()).hasValueSatisfying(ua -> assertThat(ua).hasSize(256));
            assertThatThrownBy(() -> log.list(Optional.empty(), 0, 0)).isInstanceOf(AccountException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-5: the attempts claiming any of an account's identities, in any case, are exported and forgotten")
    void attemptsConcerningIdentitiesAreListedAndForgotten(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AuthAttemptLog log = new JdbiAuthAttemptLog(db);
            AuthAttempt byName = attempt(0, "alice", false);
            AuthAttempt byAddress = attempt(1, "SIP:Alice@example.org", true);
            AuthAttempt byNumber = attempt(2, "+442079460000", false);
            AuthAttempt other = attempt(3, "bob", false);
            List.of(byName, byAddress, byNumber, other).forEach(log::record);
            List<String> alices = List.of("alice", "sip:alice@example.org", "+442079460000");

            assertThat(log.concerning(alices)).containsExactly(byNumber, byAddress, byName);
            assertThat(log.concerning(List.of())).isEmpty();
            assertThat(log.forget(alices)).isEqualTo(3);

            assertThat(log.concerning(alices)).isEmpty();
            assertThat(log.list(Optional.empty(), 0, 10).items()).containsExactly(other);
            assertThat(log.forget(List.of())).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("GS-1, PP2-5, issue 13 §4: attempts batched off the request path are seen by every reader and written on a clean stop")
    void batchedAttemptsAreSeenByReadersAndWrittenOnClose(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            JdbiAuthAttemptLog plain = new JdbiAuthAttemptLog(db);
            // an hour's window: nothing would be written in this test unless a reader or the stop asks for it
            GroupCommitAuthAttemptLog log = new GroupCommitAuthAttemptLog(plain,
                    new AuthAttemptJournalSettings(java.time.Duration.ofHours(1), 100_000));
            AuthAttempt alice = attempt(0, "alice", true);
            AuthAttempt bob = attempt(1, "bob", false);
            log.record(alice);
            log.record(bob);
            assertThat(log.list(Optional.empty(), 0, 10).items()).containsExactly(bob, alice);

            AuthAttempt carol = attempt(2, "carol", true);
            log.record(carol);
            assertThat(log.concerning(List.of("Carol"))).containsExactly(carol);
            AuthAttempt again = attempt(3, "alice", false);
            log.record(again);
            assertThat(log.forget(List.of("alice"))).as("the queued one too").isEqualTo(2);

            AuthAttempt last = attempt(4, "dave", true);
            log.record(last);
            log.close();
            assertThat(plain.list(Optional.empty(), 0, 10).items()).containsExactly(last, carol, bob);
            AuthAttempt afterClose = attempt(5, "erin", true);
            log.record(afterClose);
            assertThat(plain.list(Optional.of("erin"), 0, 10).items()).containsExactly(afterClose);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("C1, issue 13: attempts are written many to a block row; listing, paging, filtering and forgetting cross the blocks")
    void attemptsSpanSeveralBlocks(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            JdbiAuthAttemptLog log = new JdbiAuthAttemptLog(db);
            int n = 2 * JdbiAuthAttemptLog.BLOCK_ATTEMPTS + 88;
            List<AuthAttempt> batch = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> new AuthAttempt(T0.plusMillis(i), i % 3 == 0 ? "carol" : "dave", true, "ok",
                            "sip-register", "192.0.2.5:5060", "UDP", Optional.of("Phone/" + i)))
                    .toList();
            log.recordAll(batch);
            assertThat(blocks(db)).as("three blocks: two full, one of 88").isEqualTo(3);

            List<AuthAttempt> newestFirst = batch.reversed();
            Page<AuthAttempt> all = log.list(Optional.empty(), 0, 1000);
            assertThat(all.items()).containsExactlyElementsOf(newestFirst);
            assertThat(all.total()).isEqualTo(n);
            // a page across the boundary between the newest block (88) and the next
            assertThat(log.list(Optional.empty(), 85, 6).items()).containsExactlyElementsOf(newestFirst.subList(85, 91));
            List<AuthAttempt> carols = newestFirst.stream().filter(a -> a.identity().equals("carol")).toList();
            Page<AuthAttempt> carolPage = log.list(Optional.of("carol"), 20, 50);
            assertThat(carolPage.items()).containsExactlyElementsOf(carols.subList(20, 70));
            assertThat(carolPage.total()).isEqualTo(carols.size());

            assertThat(log.forget(List.of("CAROL"))).isEqualTo(carols.size());
            assertThat(log.list(Optional.empty(), 0, 1000).items())
                    .containsExactlyElementsOf(newestFirst.stream().filter(a -> a.identity().equals("dave")).toList());
            assertThat(log.forget(List.of("dave"))).isEqualTo(n - carols.size());
            assertThat(blocks(db)).as("emptied blocks are deleted").isZero();
            assertThat(log.list(Optional.empty(), 0, 10).total()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("C1: values a peer sent with tabs, line feeds, carriage returns and backslashes come back as they were")
    void controlCharactersFromPeersRoundTrip(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AuthAttemptLog log = new JdbiAuthAttemptLog(db);
            AuthAttempt odd = new AuthAttempt(T0, "a\tb\nc\\\\N\\", false, "bad\tpassword\r\n", "sip-register",
                    "192.0.2.5:5060", "UDP", Optional.of("\\N"));
            AuthAttempt control = new AuthAttempt(T0.plusSeconds(1), "tab\there\nnew\rline", true, "ok", "xcap",
                    "[2001:db8::1]:443", "TLS", Optional.of("ua\twith\ttabs"));
            log.record(odd);
            log.record(control);
            assertThat(log.list(Optional.empty(), 0, 10).items()).containsExactly(control, odd);
            assertThat(log.concerning(List.of("TAB\tHERE\nNEW\rLINE"))).containsExactly(control);
        }
    }

    private static long blocks(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM auth_attempt_block").mapTo(Long.class).one());
    }
}
