package org.parley.accounts;

/**
 * Told when an account is being deleted, so that a module removes what it keeps about it, stored or
 * live (its registrations, its subscriptions, ...). Registered with {@link AccountDataService}, so the
 * accounts module never depends on the modules that hold the data.
 */
@FunctionalInterface
public interface AccountDeletionListener {
    /**
     * Removes (or, where a documented retention setting says so, pseudonymises) the account's data.
     * Runs before the account itself is deleted; must be safe to run again after a partial failure.
     */
    void erase(Account account);
}
