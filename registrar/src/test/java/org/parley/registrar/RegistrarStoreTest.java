package org.parley.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.registrar.RegistrarFixture.T0;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.DisplayName;
import org.parley.accounts.AuthAttempt;
import org.parley.sip.message.SipResponse;
import org.parley.store.BindingRepository;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;
import org.parley.testkit.DatabaseTarget;

/** The registrar end to end on each database: what it binds is what a restarted server finds. */
@DisplayName("GU-1, GU-2, RFC 3261 §10.3, RFC 5626 §6, Auto Registration (attempt log): Registrar on H2 and PostgreSQL")
class RegistrarStoreTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("bindings made through REGISTER, and their removal, survive a restart")
    void restart(DatabaseTarget db) {
        try (RegistrarFixture f = new RegistrarFixture(db)) {
            SipResponse ok = f.alice(f.register("sip:alice@example.com", "c1", 1, "Supported: outbound, path",
                    "Path: <sip:edge.example.net;lr>",
                    "Contact: <sip:alice@198.51.100.7:5062;ob>;+sip.instance=\"<urn:uuid:1>\";reg-id=1;q=0.8",
                    "Contact: <sip:alice@198.51.100.7:5070>", "Expires: 600"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(f.alice(f.register("sip:alice@example.com", "c1", 2, "Contact: <sip:alice@198.51.100.7:5070>;expires=0"))
                    .status()).isEqualTo(200);
            try (Database again = Database.open(DatabaseSettings.external(db.jdbcUrl(), db.user(), db.password()))) {
                StoreBackedLocationService restarted = new StoreBackedLocationService(new BindingRepository(again));
                assertThat(restarted.lookup("sip:alice@example.com", T0)).singleElement().satisfies(b -> {
                    assertThat(b.contact().toString()).isEqualTo("sip:alice@198.51.100.7:5062;ob");
                    assertThat(b.regId()).isEqualTo(1);
                    assertThat(b.q()).isEqualTo(0.8f);
                    assertThat(b.path()).containsExactly("<sip:edge.example.net;lr>");
                    assertThat(b.expiresAt()).isEqualTo(T0.plusSeconds(600));
                    assertThat(b.flow()).isEqualTo(RegistrarFixture.UDP);
                });
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("every attempt, good or bad, is in the attempt log")
    void attemptLog(DatabaseTarget db) {
        try (RegistrarFixture f = new RegistrarFixture(db)) {
            f.send(f.signed(f.register("sip:alice@example.com", "c1", 1, "Contact: <sip:a@198.51.100.7>"), "alice", "wrong-password", T0), T0);
            f.alice(f.register("sip:alice@example.com", "c1", 2, "Contact: <sip:a@198.51.100.7>"));
            assertThat(f.attempts.list(Optional.of("alice"), 0, 10).items())
                    .extracting(AuthAttempt::success).containsExactlyInAnyOrder(false, true);
        }
    }
}
