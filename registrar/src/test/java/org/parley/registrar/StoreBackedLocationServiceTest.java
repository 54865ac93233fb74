package org.parley.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.sip.message.SipUri;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.parley.store.BindingRepository;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

@DisplayName("GU-1, GU-2, RFC 3261 §10.3, RFC 5626 §6: StoreBackedLocationService write-through, restart and expiry")
class StoreBackedLocationServiceTest {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final String ALICE = "sip:alice@example.com";
    static final String BOB = "sip:bob@example.com";
    static final String INSTANCE = "\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"";
    static final Flow TCP = new Flow(Transport.TCP, new InetSocketAddress("192.0.2.1", 5060),
            new InetSocketAddress("198.51.100.7", 40123), "conn-7");
    static final Flow TCP2 = new Flow(Transport.TCP, new InetSocketAddress("192.0.2.1", 5060),
            new InetSocketAddress("198.51.100.7", 40124), "conn-8");
    static final Flow UDP6 = new Flow(Transport.UDP, new InetSocketAddress("2001:db8::1", 5060),
            new InetSocketAddress("2001:db8::7", 5062), null);

    private final List<Database> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Database::close);
    }

    private Database open(DatabaseTarget db) {
        Database d = Database.open(DatabaseSettings.external(db.jdbcUrl(), db.user(), db.password()));
        open.add(d);
        return d;
    }

    /** A location service on a new connection pool: what the server has after a restart. */
    private StoreBackedLocationService restart(DatabaseTarget db) {
        return new StoreBackedLocationService(new BindingRepository(open(db)));
    }

    static Binding binding(String aor, String contact, String instance, int regId, float q, long expiresIn, Flow flow,
                           List<String> path) {
        return new Binding(aor, SipUri.parse(contact), instance, regId, q, T0.plusSeconds(expiresIn), "call-" + contact,
                7, path, flow, "Phone/2.0", "3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=2620100000000001", T0);
    }

    static Binding binding(String aor, String contact, long expiresIn) {
        return binding(aor, contact, null, 0, 1.0f, expiresIn, TCP, List.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("every field of a binding survives a restart")
    void survivesRestart(DatabaseTarget db) {
        StoreBackedLocationService before = restart(db);
        Binding b = binding(ALICE, "sip:alice@198.51.100.7:40123;transport=tcp;ob", INSTANCE, 1, 0.7f, 600, TCP,
                List.of("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr;ob>"));
        before.put(b);
        before.put(binding(BOB, "sip:bob@[2001:db8::7]:5062", null, 0, 1.0f, 300, UDP6, List.of()));

        StoreBackedLocationService after = restart(db);
        assertThat(after.lookup(ALICE, T0)).singleElement().satisfies(r -> {
            assertThat(r.contact().toString()).isEqualTo(b.contact().toString());
            assertThat(r.instanceId()).isEqualTo(INSTANCE);
            assertThat(r.regId()).isEqualTo(1);
            assertThat(r.q()).isEqualTo(0.7f);
            assertThat(r.expiresAt()).isEqualTo(b.expiresAt());
            assertThat(r.registeredAt()).isEqualTo(T0);
            assertThat(r.callId()).isEqualTo(b.callId());
            assertThat(r.cseq()).isEqualTo(7);
            assertThat(r.path()).isEqualTo(b.path());
            assertThat(r.flow()).isEqualTo(TCP);
            assertThat(r.userAgent()).isEqualTo("Phone/2.0");
            assertThat(r.accessNetworkInfo()).isEqualTo(b.accessNetworkInfo());
            assertThat(r.key()).isEqualTo(b.key());
        });
        assertThat(after.lookup(BOB, T0)).singleElement().satisfies(r -> assertThat(r.flow()).isEqualTo(UDP6));
        assertThat(after.all(T0)).extracting(Binding::aor).containsExactly(ALICE, BOB);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("lookup orders by q, highest first, then newest first, also after a restart")
    void ordering(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        s.put(binding(ALICE, "sip:a@198.51.100.7:1", null, 0, 0.1f, 600, TCP, List.of()));
        s.put(binding(ALICE, "sip:a@198.51.100.7:2", null, 0, 1.0f, 600, TCP, List.of()));
        s.put(binding(ALICE, "sip:a@198.51.100.7:3", null, 0, 0.5f, 600, TCP, List.of()));
        assertThat(s.lookup(ALICE, T0)).extracting(b -> b.contact().port()).containsExactly(2, 3, 1);
        assertThat(restart(db).lookup(ALICE, T0)).extracting(b -> b.contact().port()).containsExactly(2, 3, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("a binding replaced under the same instance and reg-id leaves no trace of the old contact in the store")
    void replacementWritesThrough(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:40123", INSTANCE, 1, 1.0f, 600, TCP, List.of()));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:50000", INSTANCE, 1, 1.0f, 900, TCP, List.of()));
        assertThat(s.lookup(ALICE, T0)).singleElement()
                .satisfies(b -> assertThat(b.contact().port()).isEqualTo(50000));
        assertThat(restart(db).lookup(ALICE, T0)).singleElement()
                .satisfies(b -> assertThat(b.contact().port()).isEqualTo(50000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("remove and removeAll write through")
    void removals(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        Binding one = binding(ALICE, "sip:alice@198.51.100.7:1", 600);
        s.put(one);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:2", 600));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 600));
        s.remove(ALICE, one.key());
        assertThat(restart(db).lookup(ALICE, T0)).extracting(b -> b.contact().port()).containsExactly(2);
        s.removeAll(ALICE);
        StoreBackedLocationService after = restart(db);
        assertThat(after.lookup(ALICE, T0)).isEmpty();
        assertThat(after.lookup(BOB, T0)).hasSize(1);
        s.remove(ALICE, "no-such-key");
        s.remove("sip:nobody@example.com", "no-such-key");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("an expired binding is hidden at once (lookups, the /metrics census) and expire() drops it from memory and store")
    void expiry(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:1", 60));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:2", 600));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 60));
        Instant later = T0.plusSeconds(60);
        assertThat(s.lookup(ALICE, later)).hasSize(1);
        assertThat(s.all(later)).hasSize(1);
        assertThat(s.census(T0)).as("the /metrics gauges: devices, AORs").isEqualTo(new LocationService.Census(3, 2));
        assertThat(s.census(later)).as("expired bindings not counted, before the sweep too")
                .isEqualTo(new LocationService.Census(1, 1));
        s.expire(later);
        assertThat(s.lookup(ALICE, T0)).as("gone from memory, even when asked about the past")
                .extracting(b -> b.contact().port()).containsExactly(2);
        assertThat(s.lookup(BOB, T0)).isEmpty();
        BindingRepository repository = new BindingRepository(open(db));
        assertThat(repository.all()).extracting(sb -> sb.contactUri()).containsExactly("sip:alice@198.51.100.7:2");
        assertThat(restart(db).all(T0)).hasSize(1);
    }
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("expire() returns the number of bindings dropped")
    void expireCountsBindings(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:1", 60));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:2", 60));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:3", 600));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 60));
        assertThat(s.expire(T0.plusSeconds(61))).isEqualTo(3);
    }
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("RFC 5626 §4.2 two flows (reg-id 1 and 2) with one Contact URI both survive a restart")
    void sameContactTwoFlows(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        String contact = "sip:alice@198.51.100.7;ob";
        s.put(binding(ALICE, contact, INSTANCE, 1, 1.0f, 600, TCP, List.of()));
        s.put(binding(ALICE, contact, INSTANCE, 2, 1.0f, 600, TCP2, List.of()));
        assertThat(s.lookup(ALICE, T0)).hasSize(2);
        assertThat(restart(db).lookup(ALICE, T0)).extracting(Binding::regId).containsExactlyInAnyOrder(1, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("RFC 5626 §6: a binding's key is its instance and reg-id, else its contact as written; the same after a restart")
    void keys(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        Binding flow = binding(ALICE, "sip:alice@198.51.100.7:40123;transport=tcp;ob", INSTANCE, 1, 1.0f, 600, TCP,
                List.of());
        Binding plain = binding(BOB, "sip:bob@[2001:db8::7]:5062;transport=udp", null, 0, 1.0f, 600, UDP6, List.of());
        assertThat(flow.key()).isEqualTo(INSTANCE + "#1");
        assertThat(plain.key()).isEqualTo("sip:bob@[2001:db8::7]:5062;transport=udp")
                .isEqualTo(Binding.keyOf(null, 0, plain.contact()));
        s.put(flow);
        s.put(plain);
        StoreBackedLocationService after = restart(db);
        assertThat(after.lookup(ALICE, T0)).extracting(Binding::key).containsExactly(flow.key());
        assertThat(after.lookup(BOB, T0)).singleElement().satisfies(b -> {
            assertThat(b.key()).isEqualTo(plain.key());
            assertThat(b.contact().toString()).isEqualTo(plain.contact().toString());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("two location services on one database: the second loads what the first wrote")
    void loadsOnStart(DatabaseTarget db) {
        StoreBackedLocationService first = restart(db);
        assertThat(first.all(T0)).isEmpty();
        first.put(binding(ALICE, "sip:alice@198.51.100.7:1", 600));
        assertThat(restart(db).lookup(ALICE, T0)).hasSize(1);
        assertThat(restart(db).lookup(ALICE, T0.plusSeconds(600))).as("expired by the time asked").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("Issue 14 §6, RFC 3261 §16.5: byContact is an index kept by put, replacement, remove, removeAll, expire and restart")
    void contactIndex(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:1", 60));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:2", INSTANCE, 1, 1.0f, 600, TCP, List.of()));
        s.put(binding(BOB, "sip:bob@198.51.100.8:1", 600));

        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:1"), T0)).get().extracting(Binding::aor).isEqualTo(ALICE);
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:1?Subject=x"), T0)).as("headers aside").isPresent();
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:9"), T0)).isEmpty();
        assertThat(restart(db).byContact(SipUri.parse("sip:bob@198.51.100.8:1"), T0)).as("after a restart").isPresent();

        // RFC 5626 §6: the same instance and reg-id comes back with another contact
        s.put(binding(ALICE, "sip:alice@198.51.100.7:3", INSTANCE, 1, 1.0f, 600, TCP, List.of()));
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:2"), T0)).isEmpty();
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:3"), T0)).isPresent();

        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:1"), T0.plusSeconds(60))).as("expired: hidden").isEmpty();
        s.expire(T0.plusSeconds(60));
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:1"), T0)).as("expired: dropped").isEmpty();

        s.remove(BOB, binding(BOB, "sip:bob@198.51.100.8:1", 600).key());
        assertThat(s.byContact(SipUri.parse("sip:bob@198.51.100.8:1"), T0)).isEmpty();
        s.removeAll(ALICE);
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:3"), T0)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("Issue 13 §1, RFC 3261 §10.3: a refresh (same contact, later expiry) is found by contact as refreshed, and gone with its removal")
    void refreshKeepsContactIndex(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        s.put(binding(ALICE, "sip:alice@198.51.100.7:1", 60));
        s.put(binding(ALICE, "sip:alice@198.51.100.7:1", 600));
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:1"), T0.plusSeconds(300))).get()
                .extracting(Binding::expiresAt).isEqualTo(T0.plusSeconds(600));
        s.remove(ALICE, binding(ALICE, "sip:alice@198.51.100.7:1", 600).key());
        assertThat(s.byContact(SipUri.parse("sip:alice@198.51.100.7:1"), T0)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("Issue 14 §6: one contact under two AORs and on two flows: the first AOR, then the highest q; removing one leaves the other")
    void contactSharedByBindings(DatabaseTarget db) {
        StoreBackedLocationService s = restart(db);
        String contact = "sip:device@198.51.100.7;ob";
        s.put(binding(BOB, contact, INSTANCE, 1, 0.5f, 600, TCP, List.of()));
        s.put(binding(BOB, contact, INSTANCE, 2, 0.9f, 600, TCP2, List.of()));
        s.put(binding(ALICE, contact, null, 0, 0.1f, 600, TCP, List.of()));

        assertThat(s.byContact(SipUri.parse(contact), T0)).get().extracting(Binding::aor).isEqualTo(ALICE);
        s.removeAll(ALICE);
        assertThat(s.byContact(SipUri.parse(contact), T0)).get().extracting(Binding::flow).isEqualTo(TCP2);
        s.remove(BOB, INSTANCE + "#2");
        assertThat(s.byContact(SipUri.parse(contact), T0)).get().extracting(Binding::flow).isEqualTo(TCP);
    }
}
