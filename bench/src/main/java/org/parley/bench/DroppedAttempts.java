package org.parley.bench;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.parley.accounts.AuthAttempt;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.Page;

/**
 * The auth-attempt log of the in-process harnesses: attempts go nowhere, because the server writes
 * them off the request path (a group-commit journal) and the harnesses measure the request path.
 */
final class DroppedAttempts implements AuthAttemptLog {
    @Override
    public void record(AuthAttempt attempt) {
    }

    @Override
    public Page<AuthAttempt> list(Optional<String> identity, int offset, int limit) {
        return new Page<>(List.of(), offset, limit, 0);
    }

    @Override
    public List<AuthAttempt> concerning(Collection<String> identities) {
        return List.of();
    }

    @Override
    public int forget(Collection<String> identities) {
        return 0;
    }
}
