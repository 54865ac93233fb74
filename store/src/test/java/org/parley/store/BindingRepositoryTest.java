package org.parley.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.testkit.DatabaseTarget;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.store.Bindings.NOW;
import static org.parley.store.Bindings.binding;

@DisplayName("Registration bindings persist across restarts (GU-1, GU-2, RFC 3261 §10)")
class BindingRepositoryTest {
    private static final String ALICE = "sip:alice@example.com";
    private static final String BOB = "sip:bob@example.com";

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void storesEveryFieldAndSeveralDevicesPerAddressOfRecord(DatabaseTarget target) {
        try (Database db = StoreTestSupport.open(target)) {
            BindingRepository repo = new BindingRepository(db);
            StoredBinding phone = binding(ALICE, "sip:alice@192.0.2.10:5060", NOW.plusSeconds(3600));
            StoredBinding laptop = new StoredBinding(ALICE, "sip:alice@192.0.2.11:5060;transport=tcp",
                    "sip:alice@192.0.2.11:5060;transport=tcp", null, 0, 1.0f,
                    NOW.plusSeconds(600), "c2", 1, "", "TCP", "192.0.2.1:5060", "192.0.2.11:5060", null, null, null, NOW);
            repo.upsert(phone);
            repo.upsert(laptop);
            repo.upsert(binding(BOB, "sip:bob@192.0.2.20", NOW.plusSeconds(60)));

            assertThat(repo.forAor(ALICE)).containsExactly(phone, laptop);
            assertThat(repo.all()).hasSize(3);
            assertThat(repo.forAor("sip:nobody@example.com")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void upsertReplacesTheBindingOfTheSameContact(DatabaseTarget target) {
        try (Database db = StoreTestSupport.open(target)) {
            BindingRepository repo = new BindingRepository(db);
            String contact = "sip:alice@192.0.2.10:5060";
            repo.upsert(binding(ALICE, contact, NOW.plusSeconds(60)));
            StoredBinding refreshed = new StoredBinding(ALICE, contact, contact, null, 0, 0.5f, NOW.plusSeconds(7200),
                    "call-2", 43, "", "UDP", "192.0.2.1:5060", "192.0.2.10:5060", null, "Other/2", null,
                    NOW.plusSeconds(5));
            repo.upsert(refreshed);

            assertThat(repo.forAor(ALICE)).containsExactly(refreshed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void deletesOneAllOrExpired(DatabaseTarget target) {
        try (Database db = StoreTestSupport.open(target)) {
            BindingRepository repo = new BindingRepository(db);
            StoredBinding stale = binding(ALICE, "sip:alice@192.0.2.10", NOW.minusSeconds(1));
            StoredBinding exact = binding(ALICE, "sip:alice@192.0.2.11", NOW);
            StoredBinding live = binding(ALICE, "sip:alice@192.0.2.12", NOW.plus(Duration.ofMillis(1)));
            StoredBinding bobs = binding(BOB, "sip:bob@192.0.2.20", NOW.plusSeconds(60));
            List.of(stale, exact, live, bobs).forEach(repo::upsert);

            assertThat(repo.deleteExpired(NOW)).isEqualTo(2);
            assertThat(repo.forAor(ALICE)).containsExactly(live);

            assertThat(repo.delete(ALICE, live.bindingKey())).isTrue();
            assertThat(repo.delete(ALICE, live.bindingKey())).isFalse();
            repo.upsert(live);
            assertThat(repo.deleteAll(BOB)).isEqualTo(1);
            assertThat(repo.all()).containsExactly(live);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void bindingsSurviveClosingAndReopeningTheDatabase(DatabaseTarget target) {
        StoredBinding phone = binding(ALICE, "sip:alice@192.0.2.10:5060", NOW.plusSeconds(3600));
        try (Database db = StoreTestSupport.open(target)) {
            new BindingRepository(db).upsert(phone);
        }
        try (Database db = StoreTestSupport.open(target)) {
            assertThat(new BindingRepository(db).all()).containsExactly(phone);
        }
    }
}
