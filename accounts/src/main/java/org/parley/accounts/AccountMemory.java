package org.parley.accounts;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The accounts, their digest credentials and identities held in memory, so that the success path
 * of a SIP request (several look-ups per request: the sender, its HA1, the recipient) makes no
 * database round trip. Entries are loaded on first use and kept until the accounts change: at once
 * for changes made through this service, and within one {@link AccountMemorySettings#changePoll}
 * for changes made elsewhere (the command line in another process), which {@link #refresh} learns
 * from the change marker ({@link AccountChanges}) every writer bumps in its transaction.
 * A look-up racing a change never keeps what it read before it ({@link LookupMemory}).
 */
public final class AccountMemory implements AccountService {
    private final AccountService store;
    private final AccountChanges changes;
    private final LookupMemory<String, Optional<Account>> byUsername;
    private final LookupMemory<String, Optional<Account>> byIdentity;
    private final LookupMemory<String, Optional<DigestCredentials>> credentials;
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    /** The marker as last read; only {@link #refresh} (one caller at a time) writes it. */
    private volatile long seenVersion;

    public <S extends AccountService & AccountChanges> AccountMemory(S store, AccountMemorySettings settings) {
        this(store, store, settings);
    }

    AccountMemory(AccountService store, AccountChanges changes, AccountMemorySettings settings) {
        this.store = store;
        this.changes = changes;
        this.byUsername = new LookupMemory<>(settings.maxEntries());
        this.byIdentity = new LookupMemory<>(settings.maxEntries());
        this.credentials = new LookupMemory<>(settings.maxEntries());
        this.seenVersion = changes.version();
    }

    /**
     * Reads the change marker and forgets everything when it moved (run every
     * {@link AccountMemorySettings#changePoll}). Changes are rare next to look-ups, so forgetting
     * all of it is simpler than working out what a change touched, and cheap.
     */
    public synchronized void refresh() {
        long version = changes.version();
        if (version != seenVersion) {
            forget();
            seenVersion = version;
        }
    }

    /** How many look-ups reached the store so far (every kind): what the memory did not answer. */
    public long loads() {
        return byUsername.loads() + byIdentity.loads() + credentials.loads();
    }

    /**
     * Also tells {@code listener} whenever the accounts changed, so that what other modules keep in
     * memory per account (messaging controls) follows the same marker.
     */
    public void whenChanged(Runnable listener) {
        changeListeners.add(listener);
    }

    @Override
    public Account create(NewAccount account) {
        try {
            return store.create(account);
        } finally {
            changedHere();
        }
    }

    @Override
    public Optional<Account> find(String username) {
        return byUsername.get(username, store::find);
    }

    @Override
    public Optional<Account> resolve(String identity) {
        return identity == null ? Optional.empty() : byIdentity.get(identity, store::resolve);
    }

    @Override
    public Account update(String username, AccountUpdate update) {
        try {
            return store.update(username, update);
        } finally {
            changedHere();
        }
    }

    @Override
    public boolean delete(String username) {
        try {
            return store.delete(username);
        } finally {
            changedHere();
        }
    }

    @Override
    public Page<Account> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    @Override
    public Optional<DigestCredentials> credentials(String username) {
        return credentials.get(username, store::credentials);
    }

    /**
     * After a write through this service: forgotten at once, and the marker this write moved taken
     * as seen, or the next {@link #refresh} would forget everything a second time (the server's
     * admin API creating users one after another made every look-up of the next second miss).
     * The marker is read before forgetting: a change committed by another process after that
     * reading moves it further, so the next refresh still forgets; one committed before is in the
     * store for every load that begins after the forgetting.
     */
    private synchronized void changedHere() {
        try {
            seenVersion = changes.version();
        } catch (RuntimeException e) {
            // the marker unreadable (the store failing): the next refresh forgets once more, which only costs reloads
        }
        forget();
    }

    private void forget() {
        byUsername.forgetAll();
        byIdentity.forgetAll();
        credentials.forgetAll();
        changeListeners.forEach(Runnable::run);
    }
}
