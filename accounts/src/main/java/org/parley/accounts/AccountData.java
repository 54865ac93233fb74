package org.parley.accounts;

/**
 * Data that a module stores about an account: one section of the user's export (PP2-5) and erased
 * with the account. Each module registers one per kind of data it stores with {@link AccountDataService}.
 */
public interface AccountData extends AccountDeletionListener {
    /** The key of this data in the export document, e.g. {@code "xcapDocuments"}. */
    String section();

    /**
     * The account's data as plain JSON values: strings, numbers, booleans, lists, maps and records of
     * them (times as ISO-8601 strings), never a credential.
     */
    Object export(Account account);
}
