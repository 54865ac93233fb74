package org.parley.accounts;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps recent account look-ups in memory for a few seconds (the SIP side asks for the same
 * account several times per request). Changes made through this service clear the cache at
 * once; changes made by another process (the CLI while the server runs) show within the TTL.
 */
public final class CachingAccountService implements AccountService {
    private final AccountService delegate;
    private final TtlCache<String, Optional<Account>> byUsername;
    private final TtlCache<String, Optional<Account>> byIdentity;
    private final TtlCache<String, Optional<DigestCredentials>> credentials;

    public CachingAccountService(AccountService delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.byUsername = new TtlCache<>(ttl, clock);
        this.byIdentity = new TtlCache<>(ttl, clock);
        this.credentials = new TtlCache<>(ttl, clock);
    }

    @Override
    public Account create(NewAccount account) {
        try {
            return delegate.create(account);
        } finally {
            clear();
        }
    }

    @Override
    public Optional<Account> find(String username) {
        return byUsername.get(username, delegate::find);
    }

    @Override
    public Optional<Account> resolve(String identity) {
        return byIdentity.get(identity, delegate::resolve);
    }

    @Override
    public Account update(String username, AccountUpdate update) {
        try {
            return delegate.update(username, update);
        } finally {
            clear();
        }
    }

    @Override
    public boolean delete(String username) {
        try {
            return delegate.delete(username);
        } finally {
            clear();
        }
    }

    @Override
    public Page<Account> list(int offset, int limit) {
        return delegate.list(offset, limit);
    }

    @Override
    public Optional<DigestCredentials> credentials(String username) {
        return credentials.get(username, delegate::credentials);
    }

    private void clear() {
        byUsername.clear();
        byIdentity.clear();
        credentials.clear();
    }
}
