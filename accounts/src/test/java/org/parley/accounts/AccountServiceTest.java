package org.parley.accounts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Accounts and their identities: user name, E.164 number, aliases (C1, PP-45, PP2-24, PP2-25)")
class AccountServiceTest {
    private static final String REALM = "http-auth@example.org";
    private static final String PASSWORD = "Circle of Life";

    static Database open(DatabaseTarget target) {
        return Database.open(DatabaseSettings.external(target.jdbcUrl(), target.user(), target.password()));
    }

    private static NewAccount account(String username, String e164, String... aliases) {
        return new NewAccount(username, PASSWORD, Optional.empty(), Optional.ofNullable(e164), List.of(aliases));
    }

    private static AccountException.Kind failure(Executable action) {
        AccountException e = catchThrowableOfType(AccountException.class, action::execute);
        assertThat(e).as("expected an AccountException").isNotNull();
        return e.kind();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void createsAnAccountReachableByEveryIdentityInAnySpelling(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            Account alice = accounts.create(new NewAccount("Alice", PASSWORD, Optional.of(" Alice Smith "),
                    Optional.of("+44 20 7946-0000"), List.of("Ally", "alice.smith", "ally")));

            assertThat(alice.username()).isEqualTo("alice");
            assertThat(alice.displayName()).isEqualTo("Alice Smith");
            assertThat(alice.e164()).contains("+442079460000");
            assertThat(alice.aliases()).containsExactly("alice.smith", "ally");
            assertThat(alice.created()).isNotNull();
            assertThat(accounts.find("ALICE")).contains(alice);
            for (String identity : List.of("alice", "Alice", "ally", "ALICE.SMITH", "+442079460000",
                    "+44 20 7946 0000", "+44 (20) 7946-0000", "tel:+44-20-7946-0000", " tel:+442079460000 ")) {
                assertThat(accounts.resolve(identity)).as(identity).contains(alice);
            }
            assertThat(accounts.resolve("bob")).isEmpty();
            assertThat(accounts.resolve("+442079460001")).isEmpty();
            assertThat(accounts.resolve("442079460000")).isEmpty();
            assertThat(accounts.resolve("not an identity")).isEmpty();
            assertThat(accounts.find("ally")).as("find takes user names only").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void noIdentityMayNameTwoAccountsWhateverItsKind(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            Account alice = accounts.create(account("alice", "+442079460000", "ally"));

            assertThat(failure(() -> accounts.create(account("ALICE", null)))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(failure(() -> accounts.create(account("ally", null)))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(failure(() -> accounts.create(account("bob", null, "Alice")))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(failure(() -> accounts.create(account("bob", null, "ally")))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(failure(() -> accounts.create(account("bob", "tel:+44-20-7946-0000")))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(accounts.find("bob")).as("a refused create leaves nothing behind").isEmpty();

            accounts.create(account("bob", null, "bobby"));
            assertThat(failure(() -> accounts.update("bob", new AccountUpdate(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(List.of("alice")))))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(failure(() -> accounts.update("bob", new AccountUpdate(Optional.empty(), Optional.empty(),
                    Optional.of("+442079460000"), Optional.empty())))).isEqualTo(AccountException.Kind.CONFLICT);
            assertThat(accounts.find("bob").orElseThrow().aliases()).containsExactly("bobby");
            assertThat(accounts.find("alice")).contains(alice);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void refusesInvalidInputWithAReason(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            for (String username : List.of("", " ", "a b", "-alice", ".alice", "alice@example.com", "+442079460000",
                    "sip:alice", "a".repeat(65), "ålice")) {
                assertThat(failure(() -> accounts.create(account(username, null)))).as(username)
                        .isEqualTo(AccountException.Kind.INVALID);
            }
            for (String password : List.of("", "short", "1234567")) {
                AccountException e = catchThrowableOfType(AccountException.class, () -> accounts.create(
                        new NewAccount("carol", password, Optional.empty(), Optional.empty(), List.of())));
                assertThat(e.kind()).isEqualTo(AccountException.Kind.INVALID);
                assertThat(e.getMessage()).containsAnyOf("at least 8 characters", "password is required");
            }
            for (String number : List.of("442079460000", "+4", "+1234567890123456", "+44 20 abc", "+0442079460000")) {
                assertThat(failure(() -> accounts.create(account("carol", number)))).as(number)
                        .isEqualTo(AccountException.Kind.INVALID);
            }
            assertThat(failure(() -> accounts.create(account("carol", null, "bad alias")))).isEqualTo(AccountException.Kind.INVALID);
            assertThat(failure(() -> accounts.create(account("carol", null, "Carol")))).isEqualTo(AccountException.Kind.INVALID);
            assertThat(accounts.list(0, 10).total()).isZero();

            accounts.create(account("carol", null));
            assertThat(failure(() -> accounts.update("carol", AccountUpdate.password("short")))).isEqualTo(AccountException.Kind.INVALID);
            assertThat(failure(() -> accounts.update("nobody", AccountUpdate.password(PASSWORD)))).isEqualTo(AccountException.Kind.NOT_FOUND);
            assertThat(failure(() -> accounts.list(-1, 10))).isEqualTo(AccountException.Kind.INVALID);
            assertThat(failure(() -> accounts.list(0, 0))).isEqualTo(AccountException.Kind.INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void storesOnlyDigestHashesAndAPasswordChangeReplacesThem(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            accounts.create(account("Mufasa", null));

            DigestCredentials before = accounts.credentials("MUFASA").orElseThrow();
            assertThat(before).isEqualTo(new DigestCredentials("mufasa", REALM,
                    DigestHashes.ha1("MD5", "mufasa", REALM, PASSWORD),
                    DigestHashes.ha1("SHA-256", "mufasa", REALM, PASSWORD)));
            assertThat(before.ha1Md5()).hasSize(32);
            assertThat(before.ha1Sha256()).hasSize(64);
            int passwordColumns = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.columns "
                    + "WHERE lower(table_name) = 'account' AND lower(column_name) LIKE '%password%'").mapTo(Integer.class).one());
            assertThat(passwordColumns).isZero();

            accounts.update("mufasa", AccountUpdate.password("Hakuna Matata"));
            DigestCredentials after = accounts.credentials("mufasa").orElseThrow();
            assertThat(after.ha1Md5()).isEqualTo(DigestHashes.ha1("MD5", "mufasa", REALM, "Hakuna Matata"))
                    .isNotEqualTo(before.ha1Md5());
            assertThat(after.ha1Sha256()).isEqualTo(DigestHashes.ha1("SHA-256", "mufasa", REALM, "Hakuna Matata"))
                    .isNotEqualTo(before.ha1Sha256());
            assertThat(accounts.credentials("nobody")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void updateChangesOnlyWhatItNamesAndReplacesAliases(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            Account created = accounts.create(new NewAccount("dave", PASSWORD, Optional.of("Dave"),
                    Optional.of("+15551230000"), List.of("d1", "d2")));
            DigestCredentials credentials = accounts.credentials("dave").orElseThrow();

            Account renamed = accounts.update("Dave", new AccountUpdate(Optional.empty(), Optional.of("David"),
                    Optional.empty(), Optional.empty()));
            assertThat(renamed).isEqualTo(new Account(created.id(), "dave", "David", created.e164(),
                    created.aliases(), created.created()));
            assertThat(accounts.credentials("dave")).contains(credentials);

            Account moved = accounts.update("dave", new AccountUpdate(Optional.empty(), Optional.empty(),
                    Optional.of("+1 555 123 9999"), Optional.of(List.of("d2", "d3"))));
            assertThat(moved.aliases()).containsExactly("d2", "d3");
            assertThat(moved.e164()).contains("+15551239999");
            assertThat(accounts.resolve("d1")).isEmpty();
            assertThat(accounts.resolve("+15551230000")).isEmpty();
            assertThat(accounts.resolve("d3")).contains(moved);
            assertThat(accounts.resolve("+15551239999")).contains(moved);

            Account cleared = accounts.update("dave", new AccountUpdate(Optional.empty(), Optional.of(""),
                    Optional.of(""), Optional.of(List.of())));
            assertThat(cleared.displayName()).isNull();
            assertThat(cleared.e164()).isEmpty();
            assertThat(cleared.aliases()).isEmpty();
            assertThat(accounts.create(account("erin", "+15551239999", "d3")).aliases())
                    .as("released identities are free again").containsExactly("d3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void deleteRemovesTheAccountAndReleasesItsIdentities(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            accounts.create(account("frank", "+33123456789", "frankie"));

            assertThat(accounts.delete("FRANK")).isTrue();
            assertThat(accounts.delete("frank")).isFalse();
            assertThat(accounts.find("frank")).isEmpty();
            assertThat(accounts.resolve("frankie")).isEmpty();
            assertThat(accounts.credentials("frank")).isEmpty();
            assertThat(accounts.create(account("frankie", "+33123456789")).username()).isEqualTo("frankie");
            assertThat(accounts.delete("not a name")).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void listsInPagesOrderedByUserName(DatabaseTarget target) {
        try (Database db = open(target)) {
            AccountService accounts = new JdbiAccountService(db, REALM);
            for (String name : List.of("echo", "alpha", "delta", "charlie", "bravo")) {
                accounts.create(account(name, null, name + ".alias"));
            }

            Page<Account> first = accounts.list(0, 2);
            assertThat(first.items()).extracting(Account::username).containsExactly("alpha", "bravo");
            assertThat(first.items().get(0).aliases()).containsExactly("alpha.alias");
            assertThat(first.total()).isEqualTo(5);
            assertThat(first.offset()).isZero();
            assertThat(first.limit()).isEqualTo(2);
            assertThat(accounts.list(2, 2).items()).extracting(Account::username).containsExactly("charlie", "delta");
            assertThat(accounts.list(4, 2).items()).extracting(Account::username).containsExactly("echo");
            assertThat(accounts.list(10, 2).items()).isEmpty();
            assertThat(accounts.list(10, 2).total()).isEqualTo(5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 14 §3: accounts hashed for another domain are counted and named; a new password re-hashes them")
    void accountsHashedForAnotherRealmAreFoundUntilTheirPasswordIsSetAgain(DatabaseTarget target) {
        try (Database db = open(target)) {
            new JdbiAccountService(db, "localhost").create(account("alice", null));
            new JdbiAccountService(db, "localhost").create(account("bob", null));
            JdbiAccountService accounts = new JdbiAccountService(db, "example.com");
            accounts.create(account("carol", null));

            assertThat(accounts.outsideRealm(1)).isEqualTo(new JdbiAccountService.RealmMismatch(2, List.of("alice")));
            DigestCredentials old = accounts.credentials("alice").orElseThrow();
            assertThat(old.realm()).isEqualTo("localhost");
            assertThat(old.matches(PASSWORD)).isTrue();

            accounts.update("alice", AccountUpdate.password("a new one please"));

            DigestCredentials renewed = accounts.credentials("alice").orElseThrow();
            assertThat(renewed.realm()).isEqualTo("example.com");
            assertThat(renewed.ha1Md5()).isEqualTo(DigestHashes.ha1(DigestHashes.MD5, "alice", "example.com", "a new one please"));
            assertThat(renewed.matches("a new one please")).isTrue();
            assertThat(renewed.matches(PASSWORD)).isFalse();
            assertThat(accounts.outsideRealm(5)).isEqualTo(new JdbiAccountService.RealmMismatch(1, List.of("bob")));
        }
    }
}
