package org.parley.accounts;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.parley.store.Database;
import org.parley.store.SqlTime;
import org.parley.store.UniqueViolations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.parley.accounts.AccountException.Kind.CONFLICT;
import static org.parley.accounts.AccountException.Kind.INVALID;
import static org.parley.accounts.AccountException.Kind.NOT_FOUND;

/**
 * Accounts in the store's {@code account} and {@code account_identity} tables. Every identity of
 * an account (user name, E.164 number, aliases) is a row of {@code account_identity}, whose key
 * makes them unique across accounts and kinds (PP-45, PP2-24, PP2-25). Passwords are turned into
 * the digest HA1 values for the realm at once and never stored. Every write bumps the change
 * marker ({@code account_version}) in its own transaction, so that servers holding accounts in
 * memory ({@link AccountMemory}) see it, whichever process made it.
 */
public final class JdbiAccountService implements AccountService, AccountChanges {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiAccountService.class);
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 1024;
    private static final int MAX_DISPLAY_NAME = 256;
    private static final int MAX_PAGE = 1000;
    private static final String SELECT_ACCOUNT = "SELECT id, username, display_name, e164, created_at FROM account ";

    private enum Kind { USERNAME, E164, ALIAS }

    private record Row(long id, String username, String displayName, String e164, Instant created) {
    }

    private final Jdbi jdbi;
    private final String realm;

    public JdbiAccountService(Database database, String realm) {
        this.jdbi = database.jdbi();
        if (realm == null || realm.isBlank()) {
            throw new IllegalArgumentException("a digest realm is needed");
        }
        this.realm = realm;
    }

    @Override
    public Account create(NewAccount account) {
        String username = IdentityNames.normalize("user name", account.username());
        checkPassword(account.password());
        Optional<String> displayName = account.displayName().flatMap(JdbiAccountService::displayName);
        Optional<String> e164 = account.e164().flatMap(JdbiAccountService::e164);
        List<String> aliases = aliases(username, account.aliases());
        Instant now = Instant.now();

        writing(() -> jdbi.useTransaction(h -> {
            List<String> identities = new ArrayList<>(List.of(username));
            e164.ifPresent(identities::add);
            identities.addAll(aliases);
            ensureFree(h, identities, -1);
            h.createUpdate("INSERT INTO account (username, display_name, e164, realm, ha1_md5, ha1_sha256, created_at) "
                            + "VALUES (:username, :displayName, :e164, :realm, :md5, :sha256, :created)")
                    .bind("username", username)
                    .bind("displayName", displayName.orElse(null))
                    .bind("e164", e164.orElse(null))
                    .bind("realm", realm)
                    .bind("md5", DigestHashes.ha1(DigestHashes.MD5, username, realm, account.password()))
                    .bind("sha256", DigestHashes.ha1(DigestHashes.SHA_256, username, realm, account.password()))
                    .bind("created", SqlTime.argument(now))
                    .execute();
            long id = h.createQuery("SELECT id FROM account WHERE username = :username")
                    .bind("username", username).mapTo(Long.class).one();
            addIdentity(h, id, username, Kind.USERNAME);
            e164.ifPresent(number -> addIdentity(h, id, number, Kind.E164));
            aliases.forEach(alias -> addIdentity(h, id, alias, Kind.ALIAS));
            changed(h);
        }));
        LOG.info("Created account {}", username);
        return find(username).orElseThrow();
    }

    @Override
    public Optional<Account> find(String username) {
        return IdentityNames.canonical(username).flatMap(name -> jdbi.withHandle(h ->
                load(h, h.createQuery(SELECT_ACCOUNT + "WHERE username = :username").bind("username", name)
                        .map((rs, ctx) -> row(rs)).findOne())));
    }

    @Override
    public Optional<Account> resolve(String identity) {
        if (identity == null) {
            return Optional.empty();
        }
        Optional<String> key = E164.looksLikeNumber(identity) ? E164.parse(identity) : IdentityNames.canonical(identity);
        return key.flatMap(name -> jdbi.withHandle(h -> load(h, h.createQuery(SELECT_ACCOUNT
                        + "WHERE id = (SELECT account_id FROM account_identity WHERE name = :name)")
                .bind("name", name).map((rs, ctx) -> row(rs)).findOne())));
    }

    @Override
    public Account update(String username, AccountUpdate update) {
        String name = IdentityNames.canonical(username).orElseThrow(() -> notFound(username));
        update.password().ifPresent(JdbiAccountService::checkPassword);
        Optional<Optional<String>> displayName = update.displayName().map(JdbiAccountService::displayName);
        Optional<Optional<String>> e164 = update.e164().map(JdbiAccountService::e164);
        Optional<List<String>> aliases = update.aliases().map(list -> aliases(name, list));

        writing(() -> jdbi.useTransaction(h -> {
            long id = h.createQuery("SELECT id FROM account WHERE username = :username").bind("username", name)
                    .mapTo(Long.class).findOne().orElseThrow(() -> notFound(username));
            List<String> claimed = new ArrayList<>();
            e164.ifPresent(number -> number.ifPresent(claimed::add));
            aliases.ifPresent(claimed::addAll);
            ensureFree(h, claimed, id);
            if (update.password().isPresent()) {
                String password = update.password().get();
                h.createUpdate("UPDATE account SET realm = :realm, ha1_md5 = :md5, ha1_sha256 = :sha256 WHERE id = :id")
                        .bind("realm", realm)
                        .bind("md5", DigestHashes.ha1(DigestHashes.MD5, name, realm, password))
                        .bind("sha256", DigestHashes.ha1(DigestHashes.SHA_256, name, realm, password))
                        .bind("id", id).execute();
            }
            if (displayName.isPresent()) {
                h.createUpdate("UPDATE account SET display_name = :displayName WHERE id = :id")
                        .bind("displayName", displayName.get().orElse(null)).bind("id", id).execute();
            }
            if (e164.isPresent()) {
                replaceIdentities(h, id, Kind.E164, e164.get().stream().toList());
                h.createUpdate("UPDATE account SET e164 = :e164 WHERE id = :id")
                        .bind("e164", e164.get().orElse(null)).bind("id", id).execute();
            }
            aliases.ifPresent(list -> replaceIdentities(h, id, Kind.ALIAS, list));
            changed(h);
        }));
        LOG.info("Updated account {}", name);
        return find(name).orElseThrow(() -> notFound(username));
    }

    @Override
    public boolean delete(String username) {
        boolean deleted = IdentityNames.canonical(username).map(name -> jdbi.inTransaction(h -> {
            boolean gone = h.createUpdate("DELETE FROM account WHERE username = :username").bind("username", name)
                    .execute() > 0;
            if (gone) {
                changed(h);
            }
            return gone;
        })).orElse(false);
        if (deleted) {
            LOG.info("Deleted account {}", username);
        }
        return deleted;
    }

    @Override
    public Page<Account> list(int offset, int limit) {
        checkPaging(offset, limit);
        return jdbi.withHandle(h -> {
            long total = h.createQuery("SELECT count(*) FROM account").mapTo(Long.class).one();
            List<Row> rows = h.createQuery(SELECT_ACCOUNT + "ORDER BY username LIMIT :limit OFFSET :offset")
                    .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> row(rs)).list();
            return new Page<>(withAliases(h, rows), offset, limit, total);
        });
    }

    @Override
    public Optional<DigestCredentials> credentials(String username) {
        return IdentityNames.canonical(username).flatMap(name -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT username, realm, ha1_md5, ha1_sha256 FROM account WHERE username = :username")
                .bind("username", name)
                .map((rs, ctx) -> new DigestCredentials(rs.getString("username"), rs.getString("realm"),
                        rs.getString("ha1_md5"), rs.getString("ha1_sha256")))
                .findOne()));
    }

    @Override
    public long version() {
        return jdbi.withHandle(h -> h.createQuery("SELECT version FROM account_version WHERE id = 1")
                .mapTo(Long.class).one());
    }

    /** In the writer's transaction: its change and the marker commit together or not at all. */
    private static void changed(Handle h) {
        h.createUpdate("UPDATE account_version SET version = version + 1 WHERE id = 1").execute();
    }

    /**
     * The accounts whose digest hashes were made for another realm than this service's (the SIP
     * domain changed since): none of them can log in until a new password is set, since HA1 binds
     * the realm (RFC 7616 §3.4.2) and the password itself is not kept.
     */
    public RealmMismatch outsideRealm(int examples) {
        return jdbi.withHandle(h -> new RealmMismatch(
                h.createQuery("SELECT count(*) FROM account WHERE realm <> :realm").bind("realm", realm)
                        .mapTo(Long.class).one(),
                h.createQuery("SELECT username FROM account WHERE realm <> :realm ORDER BY username LIMIT :limit")
                        .bind("realm", realm).bind("limit", examples).mapTo(String.class).list()));
    }

    /** How many accounts have hashes for another realm, and the first few of their names. */
    public record RealmMismatch(long count, List<String> examples) {
    }

    static void checkPaging(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new AccountException(INVALID, "offset must be at least 0 and limit 1 to " + MAX_PAGE);
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new AccountException(INVALID, "a password is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD) {
            throw new AccountException(INVALID, "the password must be at least " + MIN_PASSWORD + " characters long");
        }
        if (length > MAX_PASSWORD) {
            throw new AccountException(INVALID, "the password must be at most " + MAX_PASSWORD + " characters long");
        }
    }

    /** A blank display name means none. */
    private static Optional<String> displayName(String input) {
        String name = input.strip();
        if (name.length() > MAX_DISPLAY_NAME) {
            throw new AccountException(INVALID, "the display name must be at most " + MAX_DISPLAY_NAME + " characters");
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** A blank number means none, so an update can remove it. */
    private static Optional<String> e164(String input) {
        if (input.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(E164.normalize(input));
        } catch (IllegalArgumentException e) {
            throw new AccountException(INVALID, e.getMessage());
        }
    }

    private static List<String> aliases(String username, List<String> input) {
        Set<String> aliases = new LinkedHashSet<>();
        for (String alias : input) {
            String name = IdentityNames.normalize("an alias", alias);
            if (name.equals(username)) {
                throw new AccountException(INVALID, "an alias must differ from the user name: '" + alias + "'");
            }
            aliases.add(name);
        }
        return List.copyOf(aliases);
    }

    /** Checks first so the caller learns which identity is taken; the primary key still guards races. */
    private static void ensureFree(Handle h, List<String> identities, long ownerId) {
        if (identities.isEmpty()) {
            return;
        }
        List<String> taken = h.createQuery("SELECT name FROM account_identity WHERE name IN (<names>) "
                        + "AND account_id <> :owner ORDER BY name")
                .bindList("names", identities).bind("owner", ownerId).mapTo(String.class).list();
        if (!taken.isEmpty()) {
            throw new AccountException(CONFLICT, "already in use by another account: " + String.join(", ", taken));
        }
    }

    private static void addIdentity(Handle h, long accountId, String name, Kind kind) {
        h.createUpdate("INSERT INTO account_identity (name, account_id, kind) VALUES (:name, :id, :kind)")
                .bind("name", name).bind("id", accountId).bind("kind", kind.name()).execute();
    }

    private static void replaceIdentities(Handle h, long accountId, Kind kind, List<String> names) {
        h.createUpdate("DELETE FROM account_identity WHERE account_id = :id AND kind = :kind")
                .bind("id", accountId).bind("kind", kind.name()).execute();
        names.forEach(name -> addIdentity(h, accountId, name, kind));
    }

    private static Optional<Account> load(Handle h, Optional<Row> row) {
        return row.map(r -> withAliases(h, List.of(r)).get(0));
    }

    private static List<Account> withAliases(Handle h, List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> aliases = h.createQuery("SELECT account_id, name FROM account_identity "
                        + "WHERE kind = :kind AND account_id IN (<ids>) ORDER BY name")
                .bind("kind", Kind.ALIAS.name())
                .bindList("ids", rows.stream().map(Row::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getLong("account_id"), rs.getString("name")))
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return rows.stream().map(r -> new Account(r.id(), r.username(), r.displayName(),
                Optional.ofNullable(r.e164()), aliases.getOrDefault(r.id(), List.of()), r.created())).toList();
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                rs.getString("e164"), SqlTime.read(rs, "created_at"));
    }

    /** A unique key that fires despite {@link #ensureFree} means a concurrent writer took the identity. */
    private static void writing(Runnable write) {
        try {
            write.run();
        } catch (JdbiException e) {
            if (UniqueViolations.isUniqueViolation(e)) {
                throw new AccountException(CONFLICT, "an identity of this account is already in use");
            }
            throw e;
        }
    }

    private static AccountException notFound(String username) {
        return new AccountException(NOT_FOUND, "no such account: " + username);
    }
}
