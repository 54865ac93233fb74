package org.parley.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.registrar.StoreBackedLocationServiceTest.ALICE;
import static org.parley.registrar.StoreBackedLocationServiceTest.BOB;
import static org.parley.registrar.StoreBackedLocationServiceTest.T0;
import static org.parley.registrar.StoreBackedLocationServiceTest.binding;

import java.time.Duration;
import java.time.Instant;
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

    /** {@code b} refreshed at {@code now} for {@code expiresIn} seconds, as a REGISTER with a new Call-ID and CSeq makes it. */
    private static Binding refreshed(Binding b, Instant now, long expiresIn, String callId) {
        return new Binding(b.aor(), b.contact(), b.instanceId(), b.regId(), b.q(), now.plusSeconds(expiresIn), callId,
                b.cseq() + 1, b.path(), b.flow(), b.userAgent(), b.accessNetworkInfo(), now);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13, RFC 3261 §10.3: a refresh moving only expiry, Call-ID and CSeq is written once the stored "
            + "expiry lags by more than registrar.write-behind.refresh-lag-percent of the interval; any other change at once")
    void refreshesAreWrittenOnlyWhenTheStoreLagsTooFar(DatabaseTarget db) {
        ManualScheduler clock = new ManualScheduler(T0);
        BindingRepository store = repository(db);
        StoreBackedLocationService s = new StoreBackedLocationService(store, clock, INTERVAL, 10);
        Binding phone = binding(ALICE, "sip:alice@198.51.100.7:1", 3600);
        s.put(phone);
        clock.advance(INTERVAL);
        assertThat(store.forAor(ALICE)).singleElement().satisfies(b -> assertThat(b.expiresAt()).isEqualTo(T0.plusSeconds(3600)));

        // a device re-registering every 10 s (keeping its NAT binding open): the store lags at most 360 s (10 % of 3600)
        Binding last = phone;
        for (int i = 1; i <= 35; i++) {
            clock.advance(Duration.ofSeconds(10).minus(INTERVAL));
            last = refreshed(last, clock.now(), 3600, "call-" + i);
            s.put(last);
            clock.advance(INTERVAL);
        }
        assertThat(s.lookup(ALICE, clock.now())).singleElement().isEqualTo(last);
        assertThat(store.forAor(ALICE)).as("350 s of lag: nothing written").singleElement().satisfies(b -> {
            assertThat(b.expiresAt()).isEqualTo(T0.plusSeconds(3600));
            assertThat(b.callId()).isEqualTo(phone.callId());
        });

        clock.advance(Duration.ofSeconds(20).minus(INTERVAL));
        last = refreshed(last, clock.now(), 3600, "call-36");
        s.put(last);
        clock.advance(INTERVAL);
        Instant written = last.expiresAt();
        assertThat(store.forAor(ALICE)).as("370 s of lag: written").singleElement().satisfies(b -> {
            assertThat(b.expiresAt()).isEqualTo(written);
            assertThat(b.callId()).isEqualTo("call-36");
        });

        // not a mere refresh: another flow (the device moved), another User-Agent, a shorter expiry
        Binding moved = new Binding(ALICE, last.contact(), null, 0, 1.0f, clock.now().plusSeconds(3600), "call-37", 1,
                List.of(), StoreBackedLocationServiceTest.TCP2, last.userAgent(), last.accessNetworkInfo(), clock.now());
        s.put(moved);
        clock.advance(INTERVAL);
        assertThat(store.forAor(ALICE)).singleElement().satisfies(b -> assertThat(b.connectionId()).isEqualTo("conn-8"));
        Binding newAgent = new Binding(ALICE, moved.contact(), null, 0, 1.0f, clock.now().plusSeconds(3600), "call-37", 2,
                List.of(), moved.flow(), "Phone/2.1", moved.accessNetworkInfo(), clock.now());
        s.put(newAgent);
        clock.advance(INTERVAL);
        assertThat(store.forAor(ALICE)).singleElement().satisfies(b -> assertThat(b.userAgent()).isEqualTo("Phone/2.1"));
        Binding shorter = refreshed(newAgent, clock.now(), 120, "call-38");
        s.put(shorter);
        clock.advance(INTERVAL);
        assertThat(store.forAor(ALICE)).as("a shorter expiry than the stored one is written").singleElement()
                .satisfies(b -> assertThat(b.expiresAt()).isEqualTo(shorter.expiresAt()));
        s.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("C1, issue 13: refreshed bindings survive a restart — exactly after a clean stop, and after a crash "
            + "live until at least their expiry less the allowed lag")
    void refreshedBindingsSurviveARestart(DatabaseTarget db) {
        ManualScheduler clock = new ManualScheduler(T0);
        StoreBackedLocationService s = new StoreBackedLocationService(repository(db), clock, INTERVAL, 10);
        Binding alice = binding(ALICE, "sip:alice@198.51.100.7:1", 3600);
        Binding bob = binding(BOB, "sip:bob@198.51.100.8:1", 3600);
        s.put(alice);
        s.put(bob);
        clock.advance(INTERVAL);
        for (int i = 1; i <= 30; i++) {
            clock.advance(Duration.ofSeconds(10).minus(INTERVAL));
            alice = refreshed(alice, clock.now(), 3600, "a-" + i);
            bob = refreshed(bob, clock.now(), 3600, "b-" + i);
            s.put(alice);
            s.put(bob);
            clock.advance(INTERVAL);
        }
        Instant now = clock.now();

        // a crash: the store was let lag, but never by more than 10 % of the 3600 s granted
        StoreBackedLocationService crashed = new StoreBackedLocationService(repository(db));
        Instant aliceExpiry = alice.expiresAt();
        assertThat(crashed.lookup(ALICE, now)).singleElement().satisfies(b ->
                assertThat(b.expiresAt()).isBetween(aliceExpiry.minusSeconds(360), aliceExpiry));
        assertThat(crashed.lookup(BOB, now)).hasSize(1);

        s.close();
        StoreBackedLocationService restarted = new StoreBackedLocationService(repository(db));
        assertThat(restarted.lookup(ALICE, now)).as("a clean stop writes the lagging refreshes").singleElement()
                .satisfies(b -> {
                    assertThat(b.expiresAt()).isEqualTo(aliceExpiry);
                    assertThat(b.callId()).isEqualTo("a-30");
                });
        Instant bobExpiry = bob.expiresAt();
        assertThat(restarted.lookup(BOB, now)).singleElement().satisfies(b -> assertThat(b.expiresAt()).isEqualTo(bobExpiry));
    }
}
