package org.parley.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.registrar.StoreBackedLocationServiceTest.ALICE;
import static org.parley.registrar.StoreBackedLocationServiceTest.BOB;
import static org.parley.registrar.StoreBackedLocationServiceTest.T0;
import static org.parley.registrar.StoreBackedLocationServiceTest.binding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.store.BindingRepository;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.store.StoredBinding;
import org.parley.testkit.DatabaseTarget;

/**
 * Registrations in memory with write-behind (C1, GU-1, GU-2): a REGISTER or refresh changes memory
 * only; every interval the changed bindings reach the store in one transaction, as memory has them
 * then; a clean stop writes the rest, so a restart after it finds every binding.
 */
@DisplayName("C1, GU-1, GU-2, RFC 3261 §10.3: registrations written behind, in batches, and all of them on a clean stop")
class LocationWriteBehindTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final List<Database> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Database::close);
    }

    private BindingRepository repository(DatabaseTarget db) {
        Database d = Database.open(DatabaseSettings.external(db.jdbcUrl(), db.user(), db.password()));
        open.add(d);
        return new BindingRepository(d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("GU-1: changes reach the store only when the interval has passed, coalesced into their last state")
    void writesChangedBindingsEachInterval(DatabaseTarget db) {
        ManualScheduler clock = new ManualScheduler(T0);
        BindingRepository store = repository(db);
        StoreBackedLocationService s = new StoreBackedLocationService(store, clock, INTERVAL);
        Binding one = binding(ALICE, "sip:alice@198.51.100.7:1", 600);
        s.put(one);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:2", 600));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 600));
        assertThat(s.lookup(ALICE, T0)).as("memory answers at once").hasSize(2);
        assertThat(store.all()).as("nothing written before the interval").isEmpty();

        clock.advance(INTERVAL);
        assertThat(store.all()).extracting(StoredBinding::contactUri).containsExactlyInAnyOrder(
                "sip:alice@198.51.100.7:1", "sip:alice@198.51.100.7:2", "sip:bob@198.51.100.8:1");

        // refreshes of one binding, then a removal: one write of the final state
        for (int i = 1; i <= 50; i++) {
            s.put(binding(ALICE, "sip:alice@198.51.100.7:2", 600 + i));
        }
        s.remove(ALICE, one.key());
        assertThat(store.forAor(ALICE)).hasSize(2);
        clock.advance(INTERVAL);
        assertThat(store.forAor(ALICE)).singleElement()
                .satisfies(b -> assertThat(b.expiresAt()).isEqualTo(T0.plusSeconds(650)));
        s.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("C1: a clean stop writes what the interval had not yet written; the restarted registrar has it all")
    void cleanStopWritesTheRest(DatabaseTarget db) {
        ManualScheduler clock = new ManualScheduler(T0);
        StoreBackedLocationService s = new StoreBackedLocationService(repository(db), clock, Duration.ofHours(1));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:1", 600));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:2", 600));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 600));
        s.removeAll(BOB);
        s.put(binding(BOB, "sip:bob@198.51.100.8:2", 900));
        s.close();

        StoreBackedLocationService restarted = new StoreBackedLocationService(repository(db));
        assertThat(restarted.lookup(ALICE, T0)).extracting(b -> b.contact().port()).containsExactlyInAnyOrder(1, 2);
        assertThat(restarted.lookup(BOB, T0)).singleElement().satisfies(b -> assertThat(b.contact().port()).isEqualTo(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("GU-1: what was written once and then removed or replaced leaves no trace after the next write")
    void removalsAndReplacementsAreWritten(DatabaseTarget db) {
        ManualScheduler clock = new ManualScheduler(T0);
        BindingRepository store = repository(db);
        StoreBackedLocationService s = new StoreBackedLocationService(store, clock, INTERVAL);
        String instance = StoreBackedLocationServiceTest.INSTANCE;
        s.put(binding(ALICE, "sip:alice@198.51.100.7:40123", instance, 1, 1.0f, 600, StoreBackedLocationServiceTest.TCP,
                List.of()));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 600));
        clock.advance(INTERVAL);
        assertThat(store.all()).hasSize(2);

        // RFC 5626 §6: the same instance and reg-id come back with another contact
        s.put(binding(ALICE, "sip:alice@198.51.100.7:50000", instance, 1, 1.0f, 900, StoreBackedLocationServiceTest.TCP,
                List.of()));
        s.removeAll(BOB);
        clock.advance(INTERVAL);
        assertThat(store.all()).extracting(StoredBinding::contactUri).containsExactly("sip:alice@198.51.100.7:50000");
        s.close();
    }
}
