package org.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.testkit.DatabaseTarget;

/**
 * The time-ordered keys of the append-only logs (issue 13, V16): ORDER BY key must be the listings'
 * order (time, then arrival), every key must lie in its record's microsecond (a period is a key
 * range), and no record may be lost for its key.
 */
@DisplayName("PP2-6, PP-49, GS-1, issue 13: log keys sort by time, then arrival, and are never lost")
class TimeKeysTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456Z");
    private static final TimeKeys.Insert INSERT = TimeKeys.Insert.of("keyed_log", "arrival");

    /** A log row: its time and its place in arrival order. */
    private record Entry(Instant at, int arrival) {
    }

    private static Database open(DatabaseTarget target) throws SQLException {
        Database db = StoreTestSupport.open(target);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keyed_log (id BIGINT PRIMARY KEY, arrival INT NOT NULL)");
        }
        return db;
    }

    private static void insertAll(Database db, TimeKeys keys, List<Entry> entries) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            keys.insertAll(c, INSERT, entries, Entry::at, (statement, p, e) -> statement.setInt(p, e.arrival()));
            c.commit();
        }
    }

    private static void insertOne(Database db, TimeKeys keys, Entry entry) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement(INSERT.one())) {
            keys.insertOne(c, insert, entry, entry.at(), (statement, p, e) -> statement.setInt(p, e.arrival()));
        }
    }

    /** (key, arrival) in key order. */
    private static List<long[]> rows(Database db) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, arrival FROM keyed_log ORDER BY id")) {
            while (rs.next()) {
                rows.add(new long[] {rs.getLong(1), rs.getInt(2)});
            }
        }
        return rows;
    }

    /** The rows must come in (time, arrival) order, each key within its time's microsecond. */
    private static void assertTimeThenArrival(Database db, List<Entry> all) throws SQLException {
        List<Entry> expected = all.stream()
                .sorted(Comparator.comparing((Entry e) -> e.at().truncatedTo(ChronoUnit.MICROS))
                        .thenComparingInt(Entry::arrival))
                .toList();
        List<long[]> rows = rows(db);
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            Entry e = expected.get(i);
            assertThat(rows.get(i)[1]).as("row %d", i).isEqualTo(e.arrival());
            assertThat(rows.get(i)[0] - TimeKeys.first(e.at())).as("sequence of row %d", i)
                    .isBetween(0L, (long) TimeKeys.PER_MICROSECOND - 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("PP2-6, issue 13: batches in any order, late records and equal times sort as (time, arrival)")
    void keysSortByTimeThenArrival(DatabaseTarget target) throws SQLException {
        try (Database db = open(target)) {
            TimeKeys keys = new TimeKeys("keyed_log");
            List<Entry> all = new ArrayList<>();
            // one batch out of order, with equal times and times within one microsecond (nanoseconds differ)
            List<Entry> first = List.of(new Entry(T0.plusMillis(5), 0), new Entry(T0, 1), new Entry(T0.plusMillis(5), 2),
                    new Entry(T0.plusNanos(300), 3), new Entry(T0.plusMillis(2), 4));
            insertAll(db, keys, first);
            all.addAll(first);
            // late arrivals: older than the first batch's newest, some in microseconds it already used
            List<Entry> late = List.of(new Entry(T0.plusMillis(2), 5), new Entry(T0.plusMillis(1), 6),
                    new Entry(T0, 7), new Entry(T0.plusMillis(9), 8), new Entry(T0.plusMillis(5), 9));
            insertAll(db, keys, late);
            all.addAll(late);
            // one at a time, late too
            insertOne(db, keys, new Entry(T0.plusMillis(2), 10));
            all.add(new Entry(T0.plusMillis(2), 10));
            insertOne(db, keys, new Entry(T0.plusMillis(9), 11));
            all.add(new Entry(T0.plusMillis(9), 11));

            assertTimeThenArrival(db, all);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13: a batch of several parts and INSERT statements sees its own earlier part when it keys a late record")
    void aBatchOfManyPartsKeysItsLateRecordsAfterItsOwnEarlierOnes(DatabaseTarget target) throws SQLException {
        try (Database db = open(target)) {
            // 3 records in each of 1000 microseconds, the parts cut across them
            List<Entry> entries = IntStream.range(0, 3000)
                    .mapToObj(i -> new Entry(T0.plus(i % 1000, ChronoUnit.MICROS), i)).toList();
            insertAll(db, new TimeKeys("keyed_log"), entries);

            assertTimeThenArrival(db, entries);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("GS-1, issue 13: a key already taken (a clock set back across a restart, a second writer) is chosen again, the record kept")
    void aTakenKeyIsChosenAgain(DatabaseTarget target) throws SQLException {
        try (Database db = open(target)) {
            insertAll(db, new TimeKeys("keyed_log"), List.of(new Entry(T0, 0), new Entry(T0, 1)));
            // a fresh writer (after a restart) knows nothing of the keys taken
            TimeKeys restarted = new TimeKeys("keyed_log");
            insertOne(db, restarted, new Entry(T0, 2));
            insertOne(db, restarted, new Entry(T0, 3));

            List<long[]> rows = rows(db);
            assertThat(rows).extracting(r -> r[0] - TimeKeys.first(T0)).containsExactly(0L, 1L, 2L, 3L);
            assertThat(rows).extracting(r -> r[1]).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.parley.testkit.TestDatabases#all")
    @DisplayName("issue 13: more records than keys in one microsecond is refused, not written under another time")
    void aMicrosecondHoldsAtMostItsKeys(DatabaseTarget target) throws SQLException {
        try (Database db = open(target)) {
            TimeKeys keys = new TimeKeys("keyed_log");
            List<Entry> full = IntStream.range(0, TimeKeys.PER_MICROSECOND).mapToObj(i -> new Entry(T0, i)).toList();
            insertAll(db, keys, full);

            assertThatThrownBy(() -> insertOne(db, keys, new Entry(T0, -1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 2048 records at");
            assertThat(rows(db)).hasSize(TimeKeys.PER_MICROSECOND);
        }
    }

    @Test
    @DisplayName("issue 13: a key's high bits are the microsecond since 1970; query bounds beyond the keys' years saturate")
    void firstKeysAndBounds() {
        assertThat(TimeKeys.first(Instant.EPOCH)).isZero();
        assertThat(TimeKeys.first(Instant.EPOCH.minusNanos(1))).isEqualTo(-TimeKeys.PER_MICROSECOND);
        assertThat(TimeKeys.first(T0.plusNanos(999))).isEqualTo(TimeKeys.first(T0))
                .isEqualTo(1_740_830_400_123_456L * TimeKeys.PER_MICROSECOND);
        assertThat(TimeKeys.first(T0.plusNanos(1000))).isEqualTo(TimeKeys.first(T0) + TimeKeys.PER_MICROSECOND);
        assertThat(TimeKeys.bound(Instant.parse("2100-01-01T00:00:00Z"))).isPositive();
        assertThat(TimeKeys.bound(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(TimeKeys.bound(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> TimeKeys.first(Instant.parse("2200-01-01T00:00:00Z")))
                .isInstanceOf(ArithmeticException.class);
    }
}
