package org.parley.accounts;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.parley.store.Database;
import org.parley.store.TimeKeys;

/**
 * Auth attempts in the store's {@code auth_attempt_block} table ("Auto Registration: record
 * registration and login attempts"), many attempts to a row (V17): a block holds up to
 * {@value #BLOCK_ATTEMPTS} attempts of one write as lines of text ({@link AuthAttemptLines}), keyed by
 * its newest attempt's time ({@link TimeKeys}). One row per attempt cost the embedded database a
 * B-tree insert each, most of what a REGISTER cost beyond parsing and digest (issue 13); a block costs
 * one for hundreds. Values come from unauthenticated peers, so they are clipped to what the log keeps
 * rather than allowed to make the write, and with it the caller, fail.
 *
 * <p>Newest first: blocks by key backwards, a block's attempts by time backwards (sorted when the
 * block is written). An attempt queued after others of a later time (its request read the clock
 * first) sits in the next block and is listed with it: attempts are in time order within a block and
 * across blocks to within the journal's flush window. Readers filter by identity in Java, not SQL:
 * they decode every block, as the old table was read whole for lack of an identity index (V13).
 */
public final class JdbiAuthAttemptLog implements AuthAttemptLog {
    /** Attempts per block at most: hundreds to an insert, and a block still small to decode for one listing. */
    static final int BLOCK_ATTEMPTS = 256;
    /** Characters per block at most, far below H2's 1,000,000 for a VARCHAR whatever the peers sent. */
    static final int BLOCK_CHARS = 400_000;
    /**
     * Blocks read per query while walking the table, at most: a walk starts with {@value #FIRST_READ}
     * (a listing's first page is in the newest block or two; a block is some 30 KB of text) and doubles.
     */
    private static final int READ_BLOCKS = 64;
    private static final int FIRST_READ = 2;
    private static final TimeKeys.Insert INSERT = TimeKeys.Insert.of("auth_attempt_block", "attempts, lines");

    private final Jdbi jdbi;
    private final TimeKeys keys = new TimeKeys("auth_attempt_block");

    public JdbiAuthAttemptLog(Database database) {
        this.jdbi = database.jdbi();
    }

    /** A block being written: its text, how many attempts it holds and its newest attempt's time. */
    private record Block(String lines, int attempts, Instant newest) {
    }

    /** One attempt, a block of its own, with autocommit; a key found taken is chosen again (see {@link TimeKeys}). */
    @Override
    public void record(AuthAttempt attempt) {
        Block block = blocks(List.of(attempt)).getFirst();
        jdbi.useHandle(h -> {
            try (PreparedStatement insert = h.getConnection().prepareStatement(INSERT.one())) {
                keys.insertOne(h.getConnection(), insert, block, block.newest(), JdbiAuthAttemptLog::bind);
            } catch (SQLException e) {
                throw new IllegalStateException("writing an auth attempt failed", e);
            }
        });
    }

    /** Writes several attempts in one transaction, {@value #BLOCK_ATTEMPTS} to a row (see {@link GroupCommitAuthAttemptLog}). */
    public void recordAll(List<AuthAttempt> attempts) {
        List<Block> blocks = blocks(attempts);
        jdbi.useTransaction(h -> {
            try {
                keys.insertAll(h.getConnection(), INSERT, blocks, Block::newest, JdbiAuthAttemptLog::bind);
            } catch (SQLException e) {
                throw new IllegalStateException("writing " + attempts.size() + " auth attempts failed", e);
            }
        });
    }

    private static void bind(PreparedStatement insert, int p, Block block) throws SQLException {
        insert.setInt(p, block.attempts());
        insert.setString(p + 1, block.lines());
    }

    /** {@code attempts} clipped, in time order (stable: arrival order within a microsecond), cut into blocks. */
    private static List<Block> blocks(List<AuthAttempt> attempts) {
        List<AuthAttempt> sorted = new ArrayList<>(attempts.size());
        for (AuthAttempt a : attempts) {
            sorted.add(clipped(a));
        }
        sorted.sort(Comparator.comparing(AuthAttempt::at));
        List<Block> blocks = new ArrayList<>(sorted.size() / BLOCK_ATTEMPTS + 1);
        // about what a line of the usual attempt takes, so that the text is rarely copied to grow
        StringBuilder lines = new StringBuilder(Math.min(sorted.size(), BLOCK_ATTEMPTS) * 128);
        int count = 0;
        Instant newest = null;
        for (AuthAttempt a : sorted) {
            int before = lines.length();
            AuthAttemptLines.append(lines, a);
            if (count == BLOCK_ATTEMPTS || count > 0 && lines.length() > BLOCK_CHARS) {
                // the block is full: this attempt's line starts the next one
                blocks.add(new Block(lines.substring(0, before), count, newest));
                lines.delete(0, before);
                count = 0;
            }
            count++;
            newest = a.at();
        }
        if (count > 0) {
            blocks.add(new Block(lines.toString(), count, newest));
        }
        return blocks;
    }

    private static AuthAttempt clipped(AuthAttempt a) {
        if (fits(a.identity(), 256) && fits(a.reason(), 256) && fits(a.door(), 32) && fits(a.source(), 128)
                && fits(a.transport(), 16) && a.userAgent().map(ua -> ua.length() <= 256).orElse(true)) {
            return a; // the usual attempt: nothing to clip, no copy
        }
        return new AuthAttempt(a.at(), clip(a.identity(), 256), a.success(), clip(a.reason(), 256), clip(a.door(), 32),
                clip(a.source(), 128), clip(a.transport(), 16), a.userAgent().map(ua -> clip(ua, 256)));
    }

    @Override
    public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
        JdbiAccountService.checkPaging(offset, limit);
        return jdbi.withHandle(h -> {
            if (identity.isEmpty()) {
                long total = h.createQuery("SELECT COALESCE(SUM(attempts), 0) FROM auth_attempt_block")
                        .mapTo(Long.class).one();
                return new Page<>(newest(h, offset, limit), offset, limit, total);
            }
            // the total needs every block read: one walk counts and keeps the page
            List<AuthAttempt> items = new ArrayList<>();
            long[] seen = {0};
            String wanted = identity.get();
            walk(h, (id, attempts) -> {
                for (AuthAttempt a : attempts) {
                    if (a.identity().equals(wanted)) {
                        if (seen[0] >= offset && items.size() < limit) {
                            items.add(a);
                        }
                        seen[0]++;
                    }
                }
                return true;
            });
            return new Page<>(items, offset, limit, seen[0]);
        });
    }

    /** Up to {@code limit} attempts after the newest {@code offset}, newest first. */
    private static List<AuthAttempt> newest(Handle h, int offset, int limit) {
        List<AuthAttempt> items = new ArrayList<>();
        long[] skip = {offset};
        walk(h, (id, attempts) -> {
            for (AuthAttempt a : attempts) {
                if (skip[0] > 0) {
                    skip[0]--;
                } else if (items.size() < limit) {
                    items.add(a);
                }
            }
            return items.size() < limit;
        });
        return items;
    }

    @Override
    public List<AuthAttempt> concerning(Collection<String> identities) {
        if (identities.isEmpty()) {
            return List.of();
        }
        Set<String> wanted = lower(identities);
        List<AuthAttempt> found = new ArrayList<>();
        jdbi.useHandle(h -> walk(h, (id, attempts) -> {
            for (AuthAttempt a : attempts) {
                if (wanted.contains(a.identity().toLowerCase(Locale.ROOT))) {
                    found.add(a);
                }
            }
            return true;
        }));
        return found;
    }

    @Override
    public int forget(Collection<String> identities) {
        if (identities.isEmpty()) {
            return 0;
        }
        Set<String> wanted = lower(identities);
        return jdbi.inTransaction(h -> {
            record Kept(long id, List<AuthAttempt> attempts) {
            }
            List<Kept> changed = new ArrayList<>();
            int[] forgotten = {0};
            walk(h, (id, attempts) -> {
                List<AuthAttempt> kept = new ArrayList<>(attempts.size());
                for (AuthAttempt a : attempts) {
                    if (!wanted.contains(a.identity().toLowerCase(Locale.ROOT))) {
                        kept.add(a);
                    }
                }
                if (kept.size() < attempts.size()) {
                    forgotten[0] += attempts.size() - kept.size();
                    changed.add(new Kept(id, kept.reversed()));
                }
                return true;
            });
            for (Kept k : changed) {
                if (k.attempts().isEmpty()) {
                    h.createUpdate("DELETE FROM auth_attempt_block WHERE id = :id").bind("id", k.id()).execute();
                } else {
                    StringBuilder lines = new StringBuilder();
                    k.attempts().forEach(a -> AuthAttemptLines.append(lines, a));
                    h.createUpdate("UPDATE auth_attempt_block SET attempts = :attempts, lines = :lines WHERE id = :id")
                            .bind("attempts", k.attempts().size()).bind("lines", lines.toString()).bind("id", k.id())
                            .execute();
                }
            }
            return forgotten[0];
        });
    }

    /** What a walk does with each block's attempts, newest first; false ends the walk. */
    @FunctionalInterface
    private interface BlockVisitor {
        boolean visit(long id, List<AuthAttempt> newestFirst);
    }

    /** Every block, newest first, up to {@value #READ_BLOCKS} per query (keyset: no cursor held between them). */
    private static void walk(Handle h, BlockVisitor visitor) {
        long before = Long.MAX_VALUE;
        for (int read = FIRST_READ; ; read = Math.min(2 * read, READ_BLOCKS)) {
            record Row(long id, String lines) {
            }
            List<Row> rows = h.createQuery("SELECT id, lines FROM auth_attempt_block WHERE id < :before "
                            + "ORDER BY id DESC LIMIT " + read)
                    .bind("before", before).map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("lines"))).list();
            for (Row r : rows) {
                if (!visitor.visit(r.id(), AuthAttemptLines.parse(r.lines()).reversed())) {
                    return;
                }
            }
            if (rows.size() < read) {
                return;
            }
            before = rows.getLast().id();
        }
    }

    private static Set<String> lower(Collection<String> identities) {
        Set<String> lower = new HashSet<>();
        identities.forEach(i -> lower.add(i.toLowerCase(Locale.ROOT)));
        return lower;
    }

    private static boolean fits(String value, int max) {
        return value != null && value.length() <= max;
    }

    private static String clip(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
