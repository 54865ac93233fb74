package org.parley.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.accounts.Page;
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

/**
 * Group commit of usage records (PP2-6, PP-49). With no flush window: many concurrent callers, each
 * returning only once its record is committed, nothing lost, and records written after close still
 * land. With a window: callers return at once, readers see everything recorded before them, a clean
 * stop writes everything, and a full queue makes callers wait instead of losing records.
 */
@DisplayName("PP2-6, PP-49: usage records with group commit are all durable")
class GroupCommitUsageLogTest {

    private static UsageRecord record(int i) {
        Instant t = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i);
        return new UsageRecord(t, UsageEvent.ACCEPTED, "sip:a@x", "sip:b@x", i, "text/plain", t, Optional.empty(),
                Optional.empty(), Optional.empty(), "m-" + i, Optional.empty());
    }

    private static final UsageJournalSettings WAIT_FOR_COMMIT = new UsageJournalSettings(Duration.ZERO, 100_000);

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6: with no flush window every caller returns once its record is committed")
    void concurrentCallersAllCommitted(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog plain = new JdbiUsageLog(db);
            GroupCommitUsageLog log = new GroupCommitUsageLog(plain, WAIT_FOR_COMMIT);
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    log.record(record(n));
                    // committed when record() returns: a fresh read sees it
                    assertThat(plain.list(new UsageQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.of(record(n).at()), Optional.of(record(n).at().plusSeconds(1))), 0, 10).items())
                            .extracting(UsageRecord::messageRef).contains("m-" + n);
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            log.close();
            log.record(record(1000));
            assertThat(plain.list(UsageQuery.ALL, 0, 1000).total()).isEqualTo(201);
            pool.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6, PP-49: with a flush window readers see every record made before them, across concurrent callers")
    void windowedRecordsAreReadBack(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog plain = new JdbiUsageLog(db);
            // a window far longer than the test: only the reader's flush can have written the records
            GroupCommitUsageLog log = new GroupCommitUsageLog(plain, new UsageJournalSettings(Duration.ofHours(1), 100_000));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    int n = i;
                    calls.add(pool.submit(() -> log.record(record(n))));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
            }
            Page<UsageRecord> page = log.list(UsageQuery.ALL, 0, 1000);
            assertThat(page.total()).isEqualTo(300);
            assertThat(page.items()).extracting(UsageRecord::messageRef).doesNotHaveDuplicates();
            log.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6: a clean stop writes every queued record, and a full queue holds callers back instead of dropping")
    void cleanStopWritesEverythingAndAFullQueueWaits(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog plain = new JdbiUsageLog(db);
            // room for 10 records and a long window: the 11th caller must wait for a batch to be written
            GroupCommitUsageLog log = new GroupCommitUsageLog(plain, new UsageJournalSettings(Duration.ofHours(1), 10));
            for (int i = 0; i < 250; i++) {
                log.record(record(i));
            }
            log.close();
            assertThat(plain.list(UsageQuery.ALL, 0, 1000).items()).extracting(UsageRecord::messageRef)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 250).mapToObj(i -> "m-" + i).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6: a lone record is committed by the window on its own, with no reader and no full batch")
    void aLoneRecordIsWrittenWhenItsWindowEnds(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog plain = new JdbiUsageLog(db);
            GroupCommitUsageLog log = new GroupCommitUsageLog(plain, new UsageJournalSettings(Duration.ofMillis(50), 100_000));
            log.record(record(7));
            // read around the journal: only the writer's own window can put the record there
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (plain.list(UsageQuery.ALL, 0, 10).total() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(plain.list(UsageQuery.ALL, 0, 10).items()).extracting(UsageRecord::messageRef).containsExactly("m-7");
            log.close();
        }
    }
}
