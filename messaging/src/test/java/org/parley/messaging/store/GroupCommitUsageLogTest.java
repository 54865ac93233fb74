package org.parley.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.parley.store.Database;
import org.parley.testkit.DatabaseTarget;

/**
 * Group commit of usage records (PP2-6, PP-49): many concurrent callers, each returning only once
 * its record is committed, nothing lost, and records written after close still land.
 */
@DisplayName("PP2-6, PP-49: usage records with group commit are all durable")
class GroupCommitUsageLogTest {

    private static UsageRecord record(int i) {
        Instant t = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i);
        return new UsageRecord(t, UsageEvent.ACCEPTED, "sip:a@x", "sip:b@x", i, "text/plain", t, Optional.empty(),
                Optional.empty(), Optional.empty(), "m-" + i, Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    void concurrentCallersAllCommitted(DatabaseTarget target) throws Exception {
        try (Database db = StoreTestDatabases.open(target)) {
            JdbiUsageLog plain = new JdbiUsageLog(db);
            GroupCommitUsageLog log = new GroupCommitUsageLog(plain);
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
}
