package org.parley.server;

import org.parley.accounts.Account;
import org.parley.accounts.AccountException;
import org.parley.accounts.AccountService;
import org.parley.accounts.AccountUpdate;
import org.parley.accounts.JdbiAccountService;
import org.parley.accounts.NewAccount;
import org.parley.accounts.Page;
import org.parley.sip.transaction.SystemScheduler;
import org.parley.store.Database;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code parley user add|passwd|del|list}: account administration from the shell (C9, GO-2). It opens
 * the store itself, which the embedded database allows while the server runs.
 */
final class UserCommand {
    static final String USAGE = """
            Usage: parley user <command> [options]

            Commands:
              add NAME --password PW [--e164 NUMBER] [--alias NAME]... [--display-name TEXT]
                                  create an account
              passwd NAME --password PW
                                  set a new password
              del NAME            delete an account
              list [--offset N] [--limit N]
                                  list accounts (default: the first 100)

            Every command takes --domain NAME (the SIP domain, as for 'parley start'): passwords are
            stored as digest hashes for that domain, so it must be the one the server runs with.
            Run 'parley user <command> --help' for one command.
            """;
    static final String DOMAIN_HELP = """
              --domain NAME       SIP domain the password is hashed for (overrides parley.domain; must be
                                  the domain the server runs with, or the account cannot log in)
            """;
    static final String ADD_USAGE = """
            Usage: parley user add NAME --password PW [--e164 NUMBER] [--alias NAME]... [--display-name TEXT] [options]

            Creates an account. NAME, the E.164 number and every alias each identify it (PP-45).
              --password PW       the SIP password (only digest hashes are stored)
              --e164 NUMBER       telephone number in E.164 form, e.g. +442079460000
              --alias NAME        another name for the account; repeat for several
              --display-name TEXT name shown to others
            """ + DOMAIN_HELP + Cli.COMMON_OPTIONS_HELP;
    static final String PASSWD_USAGE = """
            Usage: parley user passwd NAME --password PW [options]

            Sets a new password for an account, hashed for the configured domain (also the way to
            re-hash an account after the domain changed: the server's start log names such accounts).
            """ + DOMAIN_HELP + Cli.COMMON_OPTIONS_HELP;
    static final String DEL_USAGE = """
            Usage: parley user del NAME [options]

            Deletes an account and everything stored about it: XCAP documents and the groups it owns,
            its directory entry, messages waiting for it or sent by it, messaging settings, stored
            registrations and login attempts (usage records are kept per accounts.deletion.usage-records).
            When the server runs (reached at http.port of the same configuration, with this installation's
            admin token), the deletion goes through it, so the account's live registrations and
            subscriptions end at once, with their NOTIFYs.
            """ + DOMAIN_HELP + Cli.COMMON_OPTIONS_HELP;
    static final String LIST_USAGE = """
            Usage: parley user list [--offset N] [--limit N] [options]

            Lists accounts ordered by name.
              --offset N          skip the first N accounts (default 0)
              --limit N           show at most N accounts (default 100)
            """ + DOMAIN_HELP + Cli.COMMON_OPTIONS_HELP;

    private static final int DEFAULT_LIMIT = 100;

    private final Cli cli;

    UserCommand(Cli cli) {
        this.cli = cli;
    }

    int run(List<String> tokens) {
        if (tokens.isEmpty()) {
            return cli.usageError("user needs a command", USAGE);
        }
        String command = tokens.getFirst();
        List<String> rest = tokens.subList(1, tokens.size());
        return switch (command) {
            case "--help", "-h", "help" -> {
                cli.out().print(USAGE);
                yield Cli.OK;
            }
            case "add" -> withStore(rest, ADD_USAGE, Set.of("--password", "--e164", "--alias", "--display-name"),
                    1, this::add);
            case "passwd" -> withStore(rest, PASSWD_USAGE, Set.of("--password"), 1, this::passwd);
            case "del" -> withStore(rest, DEL_USAGE, Set.of(), 1, this::del);
            case "list" -> withStore(rest, LIST_USAGE, Set.of("--offset", "--limit"), 0, this::list);
            default -> cli.usageError("unknown user command '" + command + "'", USAGE);
        };
    }

    private interface Action {
        int run(Args args, Store store) throws UsageException;
    }

    /** The opened store with the settings it was opened with. */
    private record Store(ServerSettings settings, Database database, AccountService accounts) {
    }

    private int withStore(List<String> tokens, String usage, Set<String> options, int names, Action action) {
        try {
            Set<String> valued = new HashSet<>(options);
            valued.add("--domain");
            Args args = Args.parse(tokens, valued);
            if (args.help()) {
                cli.out().print(usage);
                return Cli.OK;
            }
            if (args.positional().size() != names) {
                throw new UsageException(names == 0 ? "unexpected argument " + args.positional().getFirst()
                        : args.positional().isEmpty() ? "missing the user NAME" : "too many arguments");
            }
            Map<String, String> overrides = new HashMap<>();
            args.value("--domain").ifPresent(domain -> overrides.put("parley.domain", domain));
            ServerSettings settings = cli.settings(args, overrides);
            try (Database database = Database.open(settings.db())) {
                return action.run(args, new Store(settings, database, new JdbiAccountService(database, settings.domain())));
            }
        } catch (UsageException e) {
            return cli.usageError(e.getMessage(), usage);
        } catch (AccountException e) {
            cli.err().println("parley: refused: " + e.getMessage());
            return Cli.REFUSED;
        }
    }

    private int add(Args args, Store store) throws UsageException {
        String password = required(args, "--password");
        Account account = store.accounts().create(new NewAccount(args.positional().getFirst(), password,
                args.value("--display-name"), args.value("--e164"), args.values("--alias")));
        cli.out().println("Created user " + describe(account));
        return Cli.OK;
    }

    private int passwd(Args args, Store store) throws UsageException {
        String name = args.positional().getFirst();
        store.accounts().update(name, AccountUpdate.password(required(args, "--password")));
        cli.out().println("Password changed for " + name);
        return Cli.OK;
    }

    /**
     * Deletes through the running server when there is one, so that its live registrations and
     * subscriptions end too; it is trusted only once the store no longer holds the account (a server
     * on that port may serve another store). Otherwise through the same {@code AccountDataService}
     * as the admin API, over components that are built for their stores but never started.
     */
    private int del(Args args, Store store) {
        String name = args.positional().getFirst();
        if (new RunningServer(store.settings()).deleteAccount(name) && store.accounts().find(name).isEmpty()) {
            cli.out().println("Deleted user " + name + " and everything stored about it through the running server"
                    + " (its registrations and subscriptions ended)");
            return Cli.OK;
        }
        ServerContext context = ServerContext.forTools(store.settings(), store.database(), store.accounts());
        try (SystemScheduler scheduler = new SystemScheduler()) {
            List<Component> components = ParleyServer.components(context, scheduler);
            try {
                if (!ParleyServer.accountData(context, components).delete(name)) {
                    cli.err().println("parley: refused: no user named '" + name + "'");
                    return Cli.REFUSED;
                }
            } finally {
                components.reversed().forEach(Component::stop);
            }
        }
        cli.out().println("Deleted user " + name + " and everything stored about it");
        return Cli.OK;
    }

    private int list(Args args, Store store) throws UsageException {
        int offset = args.intValue("--offset").orElse(0);
        int limit = args.intValue("--limit").orElse(DEFAULT_LIMIT);
        if (offset < 0 || limit < 1) {
            throw new UsageException("--offset must be 0 or more and --limit 1 or more");
        }
        Page<Account> page = store.accounts().list(offset, limit);
        page.items().forEach(account -> cli.out().println(describe(account)));
        cli.out().printf("(%d-%d of %d users)%n", page.items().isEmpty() ? offset : offset + 1,
                offset + page.items().size(), page.total());
        return Cli.OK;
    }

    private static String required(Args args, String option) throws UsageException {
        Optional<String> value = args.value(option);
        if (value.isEmpty() || value.get().isEmpty()) {
            throw new UsageException(option + " is required");
        }
        return value.get();
    }

    private static String describe(Account account) {
        StringBuilder line = new StringBuilder(account.username());
        String displayName = account.displayName();
        if (displayName != null && !displayName.isEmpty() && !displayName.equals(account.username())) {
            line.append(" \"").append(displayName).append('"');
        }
        account.e164().ifPresent(number -> line.append(" ").append(number));
        if (!account.aliases().isEmpty()) {
            line.append(" aliases: ").append(String.join(", ", account.aliases()));
        }
        return line.toString();
    }
}
