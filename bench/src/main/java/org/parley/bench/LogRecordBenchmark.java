package org.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.messaging.store.JdbiUsageLog;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageRecord;
import org.parley.store.Database;
import org.parley.store.DatabaseSettings;

/**
 * What a usage record (PP2-6) or an auth attempt costs the group-commit writer (issue 13): one batch
 * of {@value #BATCH} records — what {@code GroupCommitJournal} writes per 200 ms window at the
 * bench's rates — inserted in one transaction into the embedded H2 file database, as the server's,
 * holding {@value #PRELOAD} rows already (an index costs more the deeper its tree). JMH's time is
 * per record; {@link LogRecordCpu} measures the process's CPU time and allocation per record, which
 * count H2's own threads and barely move when other work loads the machine.
 * <p>{@code design}: {@code usage-v5}, the table with its indexes before V13 (three secondary
 * indexes); {@code usage-v13}, with V13's time index; {@code usage}, as migrated now (V16: the
 * time-ordered primary key, no secondary index — in H2 the row's own cost); {@code auth}, the
 * attempts as migrated now (V17: blocks of up to 256 attempts, one row each). The attempt-per-row
 * designs before V17 are gone with their table; their figures are in the store README. The logs bind their batches with plain JDBC; JDBI's share was
 * measured before they did (see the store README).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class LogRecordBenchmark {
    static final int BATCH = 400;
    static final int PRELOAD = 200_000;
    private static final int USERS = 20_000;
    private static final String USAGE_TIME = "CREATE INDEX usage_record_time ON usage_record (occurred_at, id)";

    @Param({"usage-v5", "usage-v13", "usage", "auth"})
    public String design;

    private Path dir;
    private Database database;
    private JdbiUsageLog usage;
    private JdbiAuthAttemptLog attempts;
    private final SplittableRandom random = new SplittableRandom(13);
    private Instant now = Instant.parse("2026-12-07T00:00:00Z");
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        dir = Files.createTempDirectory("log-record-bench");
        database = Database.open(new DatabaseSettings(Optional.empty(), "", "", dir, 4));
        usage = new JdbiUsageLog(database);
        attempts = new JdbiAuthAttemptLog(database);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String ddl : schema(design)) {
                s.execute(ddl);
            }
        }
        for (int i = 0; i < PRELOAD; i += BATCH) {
            write();
        }
    }

    /** What turns the migrated schema into the design's. */
    private static List<String> schema(String design) {
        return switch (design) {
            case "usage", "auth" -> List.of();
            case "usage-v5" -> List.of(USAGE_TIME,
                    "CREATE INDEX usage_record_sender_time ON usage_record (sender, occurred_at, id)",
                    "CREATE INDEX usage_record_recipient_time ON usage_record (recipient, occurred_at, id)");
            case "usage-v13" -> List.of(USAGE_TIME);
            default -> throw new IllegalArgumentException("unknown design " + design);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        database.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** One batch of {@value #BATCH} records in one transaction. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void write() {
        if (design.startsWith("auth")) {
            List<AuthAttempt> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                now = now.plusMillis(1);
                batch.add(new AuthAttempt(now, "user" + random.nextInt(USERS), true, "ok", "sip-register",
                        "127.0.0.1:" + (5000 + random.nextInt(1000)), "UDP", Optional.of("SIPp/Linux")));
            }
            attempts.recordAll(batch);
            return;
        }
        List<UsageRecord> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            now = now.plusMillis(1);
            String sender = "sip:user" + random.nextInt(USERS) + "@bench.example.org";
            String recipient = "sip:user" + random.nextInt(USERS) + "@bench.example.org";
            batch.add(new UsageRecord(now, UsageEvent.DELIVERED, sender, recipient, 120, "text/plain", now,
                    Optional.of(now), Optional.of("UDP 127.0.0.1:5061"), Optional.of("UDP 127.0.0.1:5062"),
                    "call-" + (n++) + "@127.0.0.1", Optional.of(recipient + ";transport=udp")));
        }
        usage.recordAll(batch);
    }
}
