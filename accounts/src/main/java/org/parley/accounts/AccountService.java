package org.parley.accounts;

import java.util.Optional;

/**
 * The one service behind every door that manages accounts: the command line, the admin REST API
 * and (later) self-registration. Validation and normalisation (E.164, alias syntax, uniqueness
 * of every identity across user names, numbers and aliases) happen here, not in the doors.
 */
public interface AccountService {
    /** @throws AccountException INVALID for bad input, CONFLICT when any identity is taken */
    Account create(NewAccount account);

    Optional<Account> find(String username);

    /**
     * Finds the account an identity names: a user name, an alias, or an E.164 number in any
     * accepted spelling ("+44 20 7946 0000", "+442079460000"). PP-45.
     */
    Optional<Account> resolve(String identity);

    /** @throws AccountException NOT_FOUND, INVALID or CONFLICT */
    Account update(String username, AccountUpdate update);

    /** @return false when there was no such account */
    boolean delete(String username);

    Page<Account> list(int offset, int limit);

    Optional<DigestCredentials> credentials(String username);
}
