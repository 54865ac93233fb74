package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("PP2-5 (issue 9 §7): an account's data from every module, exported and deleted with it")
class AccountDataServiceTest {
    private static final String DOMAIN = "example.org";

    /** A module's data in a list, recording what was asked of it. */
    private static final class Notes implements AccountData {
        final List<String> calls;
        final List<String> kept = new ArrayList<>(List.of("note for alice", "note for bob"));

        Notes(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public String section() {
            return "notes";
        }

        @Override
        public Object export(Account account) {
            return kept.stream().filter(n -> n.endsWith(account.username())).toList();
        }

        @Override
        public void erase(Account account) {
            calls.add("notes " + account.username());
            kept.removeIf(n -> n.endsWith(account.username()));
        }
    }

    private static AccountService accounts(Database db) {
        AccountService accounts = new JdbiAccountService(db, DOMAIN);
        accounts.create(new NewAccount("alice", "correct horse", Optional.of("Alice"), Optional.of("+442079460001"),
                List.of("ally")));
        accounts.create(new NewAccount("bob", "battery staple", Optional.empty(), Optional.empty(), List.of()));
        return accounts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void exportsTheAccountThenEverySectionInOrderWithoutCredentials(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AccountDataService data = new AccountDataService(accounts(db), DOMAIN).register(new Notes(new ArrayList<>()));

            Map<String, Object> export = data.export("ALICE").orElseThrow();

            assertThat(export).containsOnlyKeys("account", "notes");
            assertThat(List.copyOf(export.keySet())).containsExactly("account", "notes");
            AccountDataService.AccountView account = (AccountDataService.AccountView) export.get("account");
            assertThat(account.username()).isEqualTo("alice");
            assertThat(account.aliases()).containsExactly("ally");
            assertThat(account.addresses()).containsExactly("sip:alice@example.org", "sip:ally@example.org",
                    "sip:+442079460001@example.org;user=phone", "tel:+442079460001");
            assertThat(export.get("notes")).isEqualTo(List.of("note for alice"));
            assertThat(data.export("nobody")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void deletionEndsLiveStateThenErasesDataThenDeletesTheAccountOnly(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            List<String> calls = new ArrayList<>();
            Notes notes = new Notes(calls);
            AccountService accounts = accounts(db);
            AccountDataService data = new AccountDataService(accounts, DOMAIN)
                    .register(notes)
                    .onDeletion(a -> calls.add("sessions " + a.username()));

            assertThat(data.delete("alice")).isTrue();

            assertThat(calls).containsExactly("sessions alice", "notes alice");
            assertThat(notes.kept).containsExactly("note for bob");
            assertThat(accounts.find("alice")).isEmpty();
            assertThat(accounts.resolve("ally")).isEmpty();
            assertThat(accounts.find("bob")).isPresent();
            assertThat(data.delete("alice")).isFalse();
            assertThat(calls).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void aFailingListenerLeavesTheAccountSoDeletionCanBeRetried(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AccountService accounts = accounts(db);
            boolean[] broken = {true};
            AccountDataService data = new AccountDataService(accounts, DOMAIN).onDeletion(a -> {
                if (broken[0]) {
                    throw new IllegalStateException("store down");
                }
            });

            assertThatThrownBy(() -> data.delete("alice")).hasMessage("store down");
            assertThat(accounts.find("alice")).isPresent();

            broken[0] = false;
            assertThat(data.delete("alice")).isTrue();
            assertThat(accounts.find("alice")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void loginAttemptsGoWithTheAccountUnlessKept(DatabaseTarget target) {
        try (Database db = AccountServiceTest.open(target)) {
            AccountService accounts = accounts(db);
            AuthAttemptLog log = new JdbiAuthAttemptLog(db);
            for (String identity : List.of("alice", "ally", "+442079460001", "sip:alice@example.org", "bob")) {
                log.record(new AuthAttempt(java.time.Instant.parse("2026-01-01T00:00:00Z"), identity, false,
                        "bad-password", "sip-register", "192.0.2.1:5060", "UDP", Optional.empty()));
            }
            AuthAttemptData kept = new AuthAttemptData(log, DOMAIN, AuthAttemptData.Retention.KEEP);
            AuthAttemptData deleted = new AuthAttemptData(log, DOMAIN, AuthAttemptData.Retention.DELETE);
            Account alice = accounts.find("alice").orElseThrow();

            assertThat((List<?>) kept.export(alice)).hasSize(4);
            kept.erase(alice);
            assertThat((List<?>) kept.export(alice)).hasSize(4);
            deleted.erase(alice);
            assertThat((List<?>) deleted.export(alice)).isEmpty();
            assertThat(log.list(Optional.empty(), 0, 10).total()).isEqualTo(1);
        }
    }
}
