package org.parley.accounts;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.parley.store.GroupCommitJournal;

/**
 * Auth attempts through the server's {@link GroupCommitJournal}: every REGISTER's success is
 * recorded, and one insert and commit per REGISTER was the registrar's largest cost (issue 13 §4);
 * batched, many attempts share one transaction off the request path. A crash loses at most the
 * attempts of the last {@code auth.attempts.flush-window-ms}; a clean stop writes them all. Readers
 * (the admin listing, the account's export, deletion) first wait for everything recorded before them.
 */
public final class GroupCommitAuthAttemptLog implements AuthAttemptLog, AutoCloseable {
    private final JdbiAuthAttemptLog delegate;
    private final GroupCommitJournal<AuthAttempt> journal;

    public GroupCommitAuthAttemptLog(JdbiAuthAttemptLog delegate, AuthAttemptJournalSettings settings) {
        this.delegate = delegate;
        this.journal = new GroupCommitJournal<>("auth attempts", new GroupCommitJournal.Sink<>() {
            @Override
            public void writeAll(List<AuthAttempt> batch) {
                delegate.recordAll(batch);
            }

            @Override
            public void write(AuthAttempt attempt) {
                delegate.record(attempt);
            }

            @Override
            public boolean reachable() {
                delegate.list(Optional.empty(), 0, 1);
                return true;
            }
        }, settings.flushWindow(), settings.capacity());
    }

    @Override
    public void record(AuthAttempt attempt) {
        journal.append(attempt);
    }

    @Override
    public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
        journal.flush();
        return delegate.list(identity, offset, limit);
    }

    @Override
    public List<AuthAttempt> concerning(Collection<String> identities) {
        journal.flush();
        return delegate.concerning(identities);
    }

    @Override
    public int forget(Collection<String> identities) {
        journal.flush();
        return delegate.forget(identities);
    }

    /** Writes everything queued, then stops the writer; an attempt recorded afterwards is written directly. */
    @Override
    public void close() {
        journal.close();
    }
}
