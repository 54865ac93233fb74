package org.parley.accounts;

import java.util.Optional;

/** Durable record of authentication attempts, newest first when listed. */
public interface AuthAttemptLog {
    void record(AuthAttempt attempt);

    Page<AuthAttempt> list(Optional<String> identity, int offset, int limit);
}
