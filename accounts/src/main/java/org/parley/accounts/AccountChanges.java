package org.parley.accounts;

/**
 * The accounts' change marker: a number that every change of an account, an identity or a digest
 * hash moves on, in the change's own transaction, whichever process made it (the server's admin
 * API, {@code parley user ...} in another process).
 */
public interface AccountChanges {
    /** The marker as committed now; it differs from an earlier reading exactly when something changed since. */
    long version();
}
