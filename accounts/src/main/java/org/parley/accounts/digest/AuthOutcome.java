package org.parley.accounts.digest;

/** What checking a request's credentials concluded. */
public sealed interface AuthOutcome {
    /** The credentials are right; {@code username} is the account's user name. */
    record Authenticated(String username) implements AuthOutcome {
    }

    /** No usable credentials: answer 401/407 with a fresh challenge ({@code stale}: only the nonce was old). */
    record Challenge(boolean stale, String reason) implements AuthOutcome {
    }

    /** Credentials that are wrong: answer 403 and count a failure. */
    record Refused(String username, String reason) implements AuthOutcome {
    }
}
