package org.parley.messaging.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Messaging controls and limits: PP-10, PP-11, PP2-23, MO-2, PP2-17")
class JdbiControlsStoreTest {
    private static final Limits LIMITS = new Limits(1300, 30, 1000, 5_000_000_000L,
            Set.of("text/plain", "application/im-iscomposing+xml", "message/imdn+xml"), 50, 3_000_000_000L);

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void aUserWithNothingStoredHasTheDefaults(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            assertThat(new JdbiControlsStore(db).get("alice")).isEqualTo(MessagingControls.DEFAULT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void keepsTheUsersAndTheOperatorsSettingsWithoutLimits(DatabaseTarget target) {
        // A SIP URI may contain a comma in its user part.
        MessagingControls controls = new MessagingControls(false, true,
                Set.of("sip:bob@example.org", "anonymous", "sip:a,b@example.org"), false, true, Optional.empty());
        try (Database db = StoreTestDatabases.open(target)) {
            ControlsStore store = new JdbiControlsStore(db);
            store.put("alice", controls);

            assertThat(store.get("alice")).isEqualTo(controls);
            assertThat(store.get("bob")).isEqualTo(MessagingControls.DEFAULT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void keepsTheUsersOwnLimits(DatabaseTarget target) {
        MessagingControls controls = new MessagingControls(true, false, Set.of(), true, false, Optional.of(LIMITS));
        MessagingControls anyType = new MessagingControls(true, false, Set.of(), true, true,
                Optional.of(new Limits(0, 0, 0, 0, Set.of(), 0, 0)));
        try (Database db = StoreTestDatabases.open(target)) {
            ControlsStore store = new JdbiControlsStore(db);
            store.put("alice", controls);
            store.put("bob", anyType);

            assertThat(store.get("alice")).isEqualTo(controls);
            assertThat(store.get("alice").limits()).hasValueSatisfying(limits ->
                    assertThat(limits.offlineQuota()).isEqualTo(new Quota(50, 3_000_000_000L)));
            assertThat(store.get("bob")).isEqualTo(anyType);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void putReplacesEverythingIncludingBlockedSendersAndLimits(DatabaseTarget target) {
        MessagingControls before = new MessagingControls(true, true, Set.of("sip:bob@example.org", "anonymous"),
                true, true, Optional.of(LIMITS));
        MessagingControls after = new MessagingControls(true, false, Set.of("sip:carol@example.org"), false, false,
                Optional.empty());
        try (Database db = StoreTestDatabases.open(target)) {
            ControlsStore store = new JdbiControlsStore(db);
            store.put("alice", before);
            store.put("bob", before);
            store.put("alice", after);

            assertThat(store.get("alice")).isEqualTo(after);
            assertThat(store.get("bob")).isEqualTo(before);

            store.put("alice", MessagingControls.DEFAULT);
            assertThat(store.get("alice")).isEqualTo(MessagingControls.DEFAULT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void refusesWhatItCouldNotGiveBackUnchanged(DatabaseTarget target) {
        MessagingControls commaType = new MessagingControls(true, false, Set.of(), true, true, Optional.of(
                new Limits(1300, 30, 1000, 1_000_000, Set.of("text/plain;x=\"a,b\""), 50, 1_000_000)));
        MessagingControls longSender = new MessagingControls(true, false,
                Set.of("sip:" + "x".repeat(600) + "@example.org"), true, true, Optional.empty());
        try (Database db = StoreTestDatabases.open(target)) {
            ControlsStore store = new JdbiControlsStore(db);
            assertThatThrownBy(() -> store.put("alice", commaType)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.put("alice", longSender)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.get("alice")).isEqualTo(MessagingControls.DEFAULT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-5: deleting an account forgets its settings and block list, nobody else's")
    void deleteForgetsOneUsersSettingsAndBlockList(DatabaseTarget target) {
        MessagingControls controls = new MessagingControls(false, true, Set.of("sip:bob@example.org"), true, true,
                Optional.empty());
        try (Database db = StoreTestDatabases.open(target)) {
            ControlsStore store = new JdbiControlsStore(db);
            store.put("alice", controls);
            store.put("carol", controls);

            store.delete("alice");
            store.delete("nobody");

            assertThat(store.get("alice")).isEqualTo(MessagingControls.DEFAULT);
            assertThat(store.get("carol")).isEqualTo(controls);
            long blocked = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM blocked_sender WHERE username = 'alice'").mapTo(Long.class).one());
            assertThat(blocked).isZero();
        }
    }
}
