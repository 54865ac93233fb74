package org.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Primary keys of an append-only log that sort as its listings do, by time and then by arrival: the
 * microsecond of the record's time (since 1970, as stored: {@link SqlTime} keeps microseconds) in the
 * high bits, a sequence in the low {@value #SEQUENCE_BITS}. One B-tree then serves the key and every
 * listing — a time window is a key range, {@code ORDER BY id} is {@code ORDER BY time, arrival} — and
 * in H2 a single BIGINT primary key is the row key itself, so a row costs one tree insert (V16,
 * issue 13). The keys cover the years 1827 to 2112.
 *
 * <p>Only the log's writer assigns keys. Records usually come in time order; a batch is sorted first,
 * so only a record older than the previous batch's newest (its request read the clock before the
 * other's, but queued it after) needs to know which keys of its microsecond are taken: it asks the
 * table, in the writing transaction. A key found taken at insert (a clock set back across a restart,
 * a second writer) is taken again the same way ({@link #insertOne}), so no record is lost for its key.
 * At most {@value #PER_MICROSECOND} records share one microsecond.
 */
public final class TimeKeys {
    public static final int SEQUENCE_BITS = 11;
    static final int PER_MICROSECOND = 1 << SEQUENCE_BITS;
    private static final long SEQUENCE = PER_MICROSECOND - 1;
    private static final int ATTEMPTS = 3;

    /** Binds a record's other columns, from parameter {@code first} on (its key is parameter {@code first - 1}). */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement insert, int first, T record) throws SQLException;
    }

    /**
     * A log's INSERT, {@code INSERT INTO table (id, columns) VALUES (?, ...), ...}, of one row or of
     * several. A batch goes in statements of {@value #ROWS_PER_INSERT} rows rather than one per row:
     * what H2 does per statement executed (its start and end in the transaction, its dependencies)
     * was a tenth of the usage writer's samples, and PostgreSQL takes a bind and execute round per
     * statement (issue 13; the store README has the figures).
     */
    public static final class Insert {
        private final String into;
        private final String row;
        private final int parameters;
        /** The statement of {@value #ROWS_PER_INSERT} rows, built once: H2 and the PostgreSQL driver cache a statement by its text. */
        private final String full;

        private Insert(String table, String columns) {
            this.into = "INSERT INTO " + table + " (id, " + columns + ") VALUES ";
            this.parameters = columns.split(",").length + 1;
            this.row = "(" + String.join(", ", Collections.nCopies(parameters, "?")) + ")";
            this.full = text(ROWS_PER_INSERT);
        }

        /** @param columns the table's columns other than its key {@code id}, comma-separated */
        public static Insert of(String table, String columns) {
            return new Insert(table, columns);
        }

        /** One row: its key is parameter 1, the record's columns follow. */
        public String one() {
            return sql(1);
        }

        private String sql(int rows) {
            return rows == ROWS_PER_INSERT ? full : text(rows);
        }

        private String text(int rows) {
            return into + String.join(", ", Collections.nCopies(rows, row));
        }
    }

    /** Rows per statement of {@link #insertAll}: a statement's own cost shared, its text still short for the parser. */
    static final int ROWS_PER_INSERT = 64;

    private final String highestSql;
    /** The highest key handed out so far; guarded by this. */
    private long last = Long.MIN_VALUE;

    /** @param table the log's table; its key column is {@code id} */
    public TimeKeys(String table) {
        this.highestSql = "SELECT max(id) FROM " + table + " WHERE id BETWEEN ? AND ?";
    }

    /** The first key of {@code time}'s microsecond: {@code time >= t} is {@code id >= first(t)}, {@code time < t} is {@code id < first(t)}. */
    public static long first(Instant time) {
        long micros = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
        return Math.multiplyExact(micros, (long) PER_MICROSECOND);
    }

    /**
     * {@link #first} for a query's bound: a time beyond the keys' years gives the smallest or largest
     * key, which no record reaches, rather than an error.
     */
    public static long bound(Instant time) {
        try {
            return first(time);
        } catch (ArithmeticException e) {
            return time.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Inserts {@code records} with {@code insert}, {@value #ROWS_PER_INSERT} rows per statement, keyed
     * {@value #PER_MICROSECOND} at a time, on {@code connection}, whose transaction the caller commits.
     */
    public <T> void insertAll(Connection connection, Insert insert, List<T> records,
                              Function<T, Instant> time, Binder<T> binder) throws SQLException {
        // the full statement is prepared once per batch and executed for every full chunk of rows
        // (a batch of 1,000 records is 15 of them): preparing it is a statement object, a pool proxy
        // and a cache look-up each time
        PreparedStatement full = null;
        try {
            for (int from = 0; from < records.size(); from += PER_MICROSECOND) {
                List<T> part = records.subList(from, Math.min(records.size(), from + PER_MICROSECOND));
                long[] keys = new long[part.size()];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = first(time.apply(part.get(i)));
                }
                assign(keys, connection, false);
                // each statement executed before the next part's keys are chosen, so that the table shows it
                for (int done = 0; done < keys.length; done += ROWS_PER_INSERT) {
                    int rows = Math.min(ROWS_PER_INSERT, keys.length - done);
                    if (rows == ROWS_PER_INSERT) {
                        if (full == null) {
                            full = connection.prepareStatement(insert.sql(rows));
                        }
                        execute(full, insert, keys, done, rows, part, binder);
                    } else {
                        try (PreparedStatement rest = connection.prepareStatement(insert.sql(rows))) {
                            execute(rest, insert, keys, done, rows, part, binder);
                        }
                    }
                }
            }
        } finally {
            if (full != null) {
                full.close();
            }
        }
    }

    /** Binds {@code rows} records of {@code part} from {@code done} on, with their keys, and executes the statement. */
    private static <T> void execute(PreparedStatement statement, Insert insert, long[] keys, int done, int rows,
                                    List<T> part, Binder<T> binder) throws SQLException {
        for (int i = 0; i < rows; i++) {
            int key = 1 + i * insert.parameters;
            statement.setLong(key, keys[done + i]);
            binder.bind(statement, key + 1, part.get(done + i));
        }
        statement.executeUpdate();
    }

    /**
     * Inserts one record with autocommit: a key found taken (another writer, a clock set back since
     * the last start) is chosen again after the ones in the table.
     */
    public <T> void insertOne(Connection connection, PreparedStatement insert, T record, Instant time,
                              Binder<T> binder) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            long[] key = {first(time)};
            assign(key, connection, attempt > 1);
            insert.setLong(1, key[0]);
            binder.bind(insert, 2, record);
            try {
                insert.executeUpdate();
                return;
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !UniqueViolations.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Turns each microsecond's first key into a free key of that microsecond, in place, ordered by
     * time and then by position (arrival). At most {@value #PER_MICROSECOND} keys: the position
     * rides in the low bits while sorting. {@code ask}: ask the table even where this writer's own
     * keys would tell (its key was just found taken).
     */
    synchronized void assign(long[] firsts, Connection connection, boolean ask) throws SQLException {
        long[] order = new long[firsts.length];
        for (int i = 0; i < firsts.length; i++) {
            order[i] = firsts[i] | i;
        }
        Arrays.sort(order);
        long probed = Long.MIN_VALUE;
        long next = 0;
        for (long o : order) {
            int i = (int) (o & SEQUENCE);
            long first = o & ~SEQUENCE;
            long key;
            if (!ask && first > last) {
                key = first;
            } else if (!ask && first == (last & ~SEQUENCE) && (last & SEQUENCE) != SEQUENCE) {
                key = last + 1;
            } else {
                // older than what this writer already keyed: the table knows which of its keys are taken
                if (first != probed) {
                    probed = first;
                    next = highest(connection, first) + 1;
                }
                if (next > (first | SEQUENCE)) {
                    throw new IllegalStateException("more than " + PER_MICROSECOND + " records at "
                            + Instant.EPOCH.plusNanos(first / PER_MICROSECOND * 1000));
                }
                key = next++;
            }
            firsts[i] = key;
            last = Math.max(last, key);
        }
    }

    /** The highest key in {@code first}'s microsecond, or {@code first - 1} when none is taken. */
    private long highest(Connection connection, long first) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(highestSql)) {
            select.setLong(1, first);
            select.setLong(2, first | SEQUENCE);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long highest = rs.getLong(1);
                return rs.wasNull() ? first - 1 : highest;
            }
        }
    }
}
