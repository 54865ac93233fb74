package org.parley.messaging.store;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.parley.accounts.Page;
import org.parley.store.GroupCommitJournal;

/**
 * Usage records through the server's {@link GroupCommitJournal}: many requests' records share one
 * transaction, 64 rows per INSERT, off the request path (within {@code messaging.usage.flush-window-ms},
 * what a crash can lose; zero: every request waits for its record's commit). A clean stop
 * ({@link #close}) writes everything queued first. Readers ({@link #list}, {@link #export}, the
 * account's export and deletion) wait for what was recorded before them, so an operator never
 * misses a record that was already made.
 */
public final class GroupCommitUsageLog implements UsageLog, AutoCloseable {
    private final JdbiUsageLog delegate;
    private final GroupCommitJournal<UsageRecord> journal;

    public GroupCommitUsageLog(JdbiUsageLog delegate, UsageJournalSettings settings) {
        this.delegate = delegate;
        this.journal = new GroupCommitJournal<>("usage records", new GroupCommitJournal.Sink<>() {
            @Override
            public void writeAll(List<UsageRecord> batch) {
                delegate.recordAll(batch);
            }

            @Override
            public void write(UsageRecord record) {
                delegate.record(record);
            }

            @Override
            public boolean reachable() {
                delegate.list(UsageQuery.ALL, 0, 1);
                return true;
            }
        }, settings.flushWindow(), settings.capacity());
    }

    @Override
    public void record(UsageRecord record) {
        journal.append(record);
    }

    /** Returns once every record made before the call is in the database. */
    public void flush() {
        journal.flush();
    }

    @Override
    public Page<UsageRecord> list(UsageQuery query, int offset, int limit) {
        flush();
        return delegate.list(query, offset, limit);
    }

    @Override
    public void export(UsageQuery query, Writer out) throws IOException {
        flush();
        delegate.export(query, out);
    }

    /** The records with {@code address} as sender or recipient, those still queued included (PP2-5). */
    public List<UsageRecord> concerning(String address) {
        flush();
        return delegate.concerning(address);
    }

    /**
     * Pseudonymises {@code address} in every record (account deletion), those still queued included:
     * nothing written afterwards may name the deleted account.
     */
    public int pseudonymise(String address, String pseudonym) {
        flush();
        return delegate.pseudonymise(address, pseudonym);
    }

    /** Writes everything queued, then stops the writer; a record made afterwards is written directly. */
    @Override
    public void close() {
        journal.close();
    }
}
