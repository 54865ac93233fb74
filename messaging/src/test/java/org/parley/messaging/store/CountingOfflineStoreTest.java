package org.parley.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

/**
 * What waits for each recipient, kept in memory (MT-3: a message queues behind older ones; UC 5.13
 * summaries): asked again, the figures come without a database read; after every change they are
 * what the database says, also under concurrent stores and reads.
 */
@DisplayName("MT-3, MU-3, UC 5.13: waiting counts in memory, always equal to the offline store's")
class CountingOfflineStoreTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final String BOB = "sip:bob@example.org";
    private static final String CAROL = "sip:carol@example.org";
    private static final Quota ROOMY = new Quota(10_000, 100_000_000);

    private static NewStoredMessage message(String recipient, String sender, String body) {
        return new NewStoredMessage(recipient, sender, T0, T0.plusSeconds(3600), "text/plain", Optional.empty(), "",
                ("MESSAGE " + recipient + " SIP/2.0\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    /** Counts the usage reads that reach the database. */
    private static final class CountingReads implements OfflineStore {
        final JdbiOfflineStore db;
        final AtomicInteger reads = new AtomicInteger();
        /** Makes the per-recipient reads fail, as a database failing just after a commit. */
        volatile boolean readsFail;

        CountingReads(JdbiOfflineStore db) {
            this.db = db;
        }

        @Override
        public StoreUsage usage(String recipientAor) {
            reads.incrementAndGet();
            if (readsFail) {
                throw new IllegalStateException("database unreachable");
            }
            return db.usage(recipientAor);
        }

        @Override
        public StoredMessage store(NewStoredMessage message, Quota quota) {
            return db.store(message, quota);
        }

        @Override
        public List<StoredMessage> pending(String recipientAor, int limit) {
            return db.pending(recipientAor, limit);
        }

        @Override
        public boolean remove(StoredMessage message) {
            return db.remove(message);
        }

        @Override
        public void attempted(java.util.UUID id) {
            db.attempted(id);
        }

        @Override
        public List<StoredMessage> expired(Instant now, int limit) {
            return db.expired(now, limit);
        }

        @Override
        public List<StoredMessage> concerning(String aor) {
            return db.concerning(aor);
        }

        @Override
        public int removeConcerning(String aor) {
            return db.removeConcerning(aor);
        }

        @Override
        public List<String> recipientsWithPending() {
            return db.recipientsWithPending();
        }

        /** The one grouped read at start, not counted: {@link #reads} counts the per-recipient ones. */
        @Override
        public Map<String, StoreUsage> usageOfAll() {
            return db.usageOfAll();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("MT-3, UC 5.13: the figures come from memory, a recipient with nothing waiting costs no read; after a store, a removal or an account deletion they are read again")
    void readsOnceAndAgainAfterEveryChange(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiOfflineStore jdbi = new JdbiOfflineStore(db);
            CountingReads reads = new CountingReads(jdbi);
            OfflineStore store = new CountingOfflineStore(reads);

            for (int i = 0; i < 5; i++) {
                assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(0, 0, 0));
            }
            assertThat(reads.reads).hasValue(0);

            StoredMessage first = store.store(message(BOB, "sip:alice@example.org", "1"), ROOMY);
            StoredMessage second = store.store(message(BOB, "sip:carol@example.org", "22"), ROOMY);
            assertThat(store.usage(BOB)).isEqualTo(jdbi.usage(BOB)).isEqualTo(new StoreUsage(2,
                    (long) first.size() + second.size(), 0));
            store.usage(BOB);
            assertThat(reads.reads).hasValue(2);

            assertThat(store.remove(first)).isTrue();
            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(1, second.size(), 0));
            assertThat(store.remove(first)).isFalse();
            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(1, second.size(), 0));

            // carol's account goes, and with it what she sent to bob
            store.usage(CAROL);
            assertThat(store.removeConcerning(CAROL)).isEqualTo(1);
            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(0, 0, 0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("MU-3, UC 5.13: what waited through a restart is known at start, in one grouped read, messages and reports apart")
    void knowsAtStartWhatWaits(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiOfflineStore jdbi = new JdbiOfflineStore(db);
            StoredMessage first = jdbi.store(message(BOB, "sip:alice@example.org", "1"), ROOMY);
            StoredMessage report = jdbi.store(new NewStoredMessage(BOB, CAROL, T0, T0.plusSeconds(3600),
                    "message/imdn+xml", Optional.empty(), "", "MESSAGE x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.UTF_8)),
                    ROOMY);
            jdbi.store(message(CAROL, "sip:alice@example.org", "333"), ROOMY);

            CountingReads reads = new CountingReads(jdbi);
            OfflineStore store = new CountingOfflineStore(reads);

            assertThat(reads.reads).as("per-recipient reads at start").hasValue(0);
            assertThat(store.usage(BOB)).isEqualTo(jdbi.usage(BOB))
                    .isEqualTo(new StoreUsage(2, (long) first.size() + report.size(), 1));
            assertThat(store.usage(CAROL)).isEqualTo(jdbi.usage(CAROL));
            assertThat(store.usage("sip:dave@example.org")).isEqualTo(new StoreUsage(0, 0, 0));
            assertThat(reads.reads).hasValue(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("MU-3: a read failing after a committed store does not fail the store (it would be sent again); the next question reads it")
    void failedReadAfterCommitIsReadLater(DatabaseTarget target) {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiOfflineStore jdbi = new JdbiOfflineStore(db);
            CountingReads reads = new CountingReads(jdbi);
            OfflineStore store = new CountingOfflineStore(reads);

            reads.readsFail = true;
            StoredMessage stored = store.store(message(BOB, "sip:alice@example.org", "kept"), ROOMY);
            assertThat(jdbi.usage(BOB).messages()).as("committed").isEqualTo(1);
            assertThatThrownBy(() -> store.usage(BOB)).hasMessageContaining("unreachable");

            reads.readsFail = false;
            assertThat(store.usage(BOB)).isEqualTo(new StoreUsage(1, stored.size(), 0));
            int before = reads.reads.get();
            store.usage(BOB);
            assertThat(reads.reads).as("known again: from memory").hasValue(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("MU-3: concurrent stores and reads for one recipient end with the database's count, not one more or less")
    void concurrentStoresAndReadsAgree(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiOfflineStore jdbi = new JdbiOfflineStore(db);
            OfflineStore store = new CountingOfflineStore(jdbi);
            List<Future<?>> calls = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    calls.add(pool.submit(() -> store.store(message(BOB, "sip:alice@example.org", "m" + n), ROOMY)));
                    calls.add(pool.submit(() -> store.usage(BOB)));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
            }
            assertThat(store.usage(BOB)).isEqualTo(jdbi.usage(BOB));
            assertThat(store.usage(BOB).messages()).isEqualTo(100);
        }
    }
}
