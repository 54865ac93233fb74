package org.parley.accounts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An account with everything the modules keep about it: the export of a user's data (PP2-5, GDPR
 * Art. 15/20) and account deletion that removes that data too (Art. 17). Modules register an
 * {@link AccountData} per kind of stored data and an {@link AccountDeletionListener} for live state;
 * the doors (admin API, user API, CLI) call this service.
 */
public final class AccountDataService {
    private static final Logger LOG = LoggerFactory.getLogger(AccountDataService.class);

    private final AccountService accounts;
    private final String domain;
    private final List<AccountData> sections = new CopyOnWriteArrayList<>();
    private final List<AccountDeletionListener> live = new CopyOnWriteArrayList<>();

    /** @param domain the SIP domain, which makes the account's addresses in the export */
    public AccountDataService(AccountService accounts, String domain) {
        this.accounts = accounts;
        this.domain = domain;
    }

    /** Data the export shows and deletion erases. */
    public AccountDataService register(AccountData data) {
        sections.add(data);
        return this;
    }

    /**
     * Live state deletion must end that is no part of the export (subscriptions): ended before any
     * stored data is erased, so that it ends as the account's deletion and not as a side effect of
     * erasing (a subscription whose rules vanished would end as "rejected", not "noresource").
     */
    public AccountDataService onDeletion(AccountDeletionListener listener) {
        live.add(listener);
        return this;
    }

    public AccountService accounts() {
        return accounts;
    }

    /**
     * Everything about the account as one JSON-ready document: the account section first, then one
     * section per registered {@link AccountData} in registration order; empty when there is no such account.
     */
    public Optional<Map<String, Object>> export(String username) {
        return accounts.find(username).map(account -> {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("account", AccountView.of(account, domain));
            sections.forEach(data -> document.put(data.section(), data.export(account)));
            return document;
        });
    }

    /**
     * Ends the account's live state, erases its data in every module (in registration order), then
     * deletes the account. The account goes last so that a failure half-way leaves an account the
     * operator can delete again, never data without an account.
     *
     * @return false when there was no such account
     */
    public boolean delete(String username) {
        Optional<Account> account = accounts.find(username);
        if (account.isEmpty()) {
            return false;
        }
        for (AccountDeletionListener listener : live) {
            listener.erase(account.get());
        }
        for (AccountData data : sections) {
            data.erase(account.get());
        }
        boolean deleted = accounts.delete(account.get().username());
        LOG.info("Deleted account {} and its data", account.get().username());
        return deleted;
    }

    /** The account section of the export: its identities and addresses, never a credential. */
    public record AccountView(String username, String displayName, String e164, List<String> aliases,
                              List<String> addresses, String created) {
        static AccountView of(Account a, String domain) {
            return new AccountView(a.username(), a.displayName(), a.e164().orElse(null), a.aliases(),
                    AccountAddresses.of(a, domain), a.created().toString());
        }
    }
}
