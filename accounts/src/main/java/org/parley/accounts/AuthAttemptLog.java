package org.parley.accounts;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Durable record of authentication attempts, newest first when listed. */
public interface AuthAttemptLog {
    void record(AuthAttempt attempt);

    Page<AuthAttempt> list(Optional<String> identity, int offset, int limit);

    /** Every attempt that claimed one of {@code identities} (compared without case), newest first. */
    List<AuthAttempt> concerning(Collection<String> identities);

    /** Deletes every attempt that claimed one of {@code identities}; returns how many. */
    int forget(Collection<String> identities);
}
