package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts held in memory on the request path (C1, PP-45 identities, GS-1 digest HA1; issue 13 §1):
 * after the first look-up nothing reaches the database, a change through the server is in force at
 * once, and a change made by another process (the CLI, on its own connection pool) at the next
 * reading of the change marker — the running server's {@code accounts.memory.change-poll-ms}.
 */
@DisplayName("C1, PP-45, GS-1, issue 13 §1: accounts, identities and HA1 in memory, kept true by the change marker")
class AccountMemoryTest {
    private static final String REALM = "example.org";
    private static final AccountMemorySettings SETTINGS = new AccountMemorySettings(Duration.ofSeconds(1), 1000);

    /** Counts what reaches the store: the proof that the success path makes no round trip. */
    private static final class Counting implements AccountService {
        final AtomicInteger reads = new AtomicInteger();
        private final AccountService store;

        Counting(AccountService store) {
            this.store = store;
        }

        @Override
        public Account create(NewAccount account) {
            return store.create(account);
        }

        @Override
        public Optional<Account> find(String username) {
            reads.incrementAndGet();
            return store.find(username);
        }

        @Override
        public Optional<Account> resolve(String identity) {
            reads.incrementAndGet();
            return store.resolve(identity);
        }

        @Override
        public Account update(String username, AccountUpdate update) {
            return store.update(username, update);
        }

        @Override
        public boolean delete(String username) {
            return store.delete(username);
        }

        @Override
        public Page<Account> list(int offset, int limit) {
            return store.list(offset, limit);
        }

        @Override
        public Optional<DigestCredentials> credentials(String username) {
            reads.incrementAndGet();
            return store.credentials(username);
        }
    }

    private static NewAccount account(String name, String password, String... aliases) {
        return new NewAccount(name, password, Optional.empty(), Optional.empty(), List.of(aliases));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13 §1: repeated look-ups of account, identity and HA1 make no database round trip")
    void lookUpsAreServedFromMemory(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            JdbiAccountService stored = new JdbiAccountService(db, REALM);
            stored.create(account("alice", "alice-secret", "ally"));
            Counting counting = new Counting(stored);
            AccountMemory memory = new AccountMemory(counting, stored, SETTINGS);

            for (int i = 0; i < 100; i++) {
                assertThat(memory.find("alice")).map(Account::username).contains("alice");
                assertThat(memory.resolve("ally")).map(Account::username).contains("alice");
                assertThat(memory.credentials("alice")).map(c -> c.matches("alice-secret")).contains(true);
                assertThat(memory.resolve("nobody")).as("an unknown identity is remembered too").isEmpty();
                memory.refresh();
            }
            assertThat(counting.reads).as("one load per key, then memory only").hasValue(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13 §1, C9: changes made through the server are in force at once")
    void changesThroughTheServerAreSeenAtOnce(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AccountMemory memory = new AccountMemory(new JdbiAccountService(db, REALM), SETTINGS);
            assertThat(memory.resolve("bobby")).isEmpty();

            memory.create(account("bob", "bob-secret-1", "bobby"));
            assertThat(memory.resolve("bobby")).map(Account::username).contains("bob");
            assertThat(memory.credentials("bob")).map(c -> c.matches("bob-secret-1")).contains(true);

            memory.update("bob", new AccountUpdate(Optional.of("bob-secret-2"), Optional.empty(), Optional.empty(),
                    Optional.of(List.of())));
            assertThat(memory.credentials("bob")).map(c -> c.matches("bob-secret-2")).contains(true);
            assertThat(memory.resolve("bobby")).as("alias removed").isEmpty();

            memory.delete("bob");
            assertThat(memory.find("bob")).isEmpty();
            assertThat(memory.credentials("bob")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13 §1: a change through the server is forgotten once, not again when the marker it moved is read")
    void ownChangesAreNotForgottenTwice(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            JdbiAccountService stored = new JdbiAccountService(db, REALM);
            Counting counting = new Counting(stored);
            AccountMemory memory = new AccountMemory(counting, stored, SETTINGS);
            AtomicInteger told = new AtomicInteger();
            memory.whenChanged(told::incrementAndGet);

            List<String> users = List.of("erin", "frank", "grace");
            users.forEach(name -> memory.create(account(name, name + "-secret-1")));
            assertThat(told).hasValue(3);
            for (int round = 0; round < 3; round++) {
                for (String name : users) {
                    assertThat(memory.credentials(name)).map(c -> c.matches(name + "-secret-1")).contains(true);
                }
                memory.refresh();
            }
            assertThat(told).as("the marker moved by this server's own writes forgets nothing more").hasValue(3);
            assertThat(counting.reads).as("each user's HA1 loaded once").hasValue(3);
            assertThat(memory.loads()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13 §1, C9 (GO-2): a change by the CLI in another process is in force at the next marker reading")
    void changesByAnotherProcessAreSeenAtTheNextRefresh(DatabaseTarget target) {
        try (Database serverDb = AccountServiceTest.open(target); Database cliDb = AccountServiceTest.open(target)) {
            JdbiAccountService cli = new JdbiAccountService(cliDb, REALM);
            cli.create(account("carol", "carol-secret-1"));
            AccountMemory memory = new AccountMemory(new JdbiAccountService(serverDb, REALM), SETTINGS);
            AtomicInteger told = new AtomicInteger();
            memory.whenChanged(told::incrementAndGet);
            assertThat(memory.credentials("carol")).map(c -> c.matches("carol-secret-1")).contains(true);
            assertThat(memory.resolve("caz")).isEmpty();

            memory.refresh();
            assertThat(told).as("nothing changed, nothing forgotten").hasValue(0);

            cli.update("carol", new AccountUpdate(Optional.of("carol-secret-2"), Optional.empty(), Optional.empty(),
                    Optional.of(List.of("caz"))));
            memory.refresh();
            assertThat(told).hasValue(1);
            assertThat(memory.credentials("carol")).map(c -> c.matches("carol-secret-2")).contains(true);
            assertThat(memory.resolve("caz")).as("a name unknown before").map(Account::username).contains("carol");

            cli.create(account("dave", "dave-secret-1"));
            cli.delete("carol");
            memory.refresh();
            assertThat(memory.find("carol")).isEmpty();
            assertThat(memory.credentials("carol")).isEmpty();
            assertThat(memory.find("dave")).map(Account::username).contains("dave");
        }
    }
}
