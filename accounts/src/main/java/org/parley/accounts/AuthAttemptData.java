package org.parley.accounts;

import java.util.ArrayList;
import org.parley.config.Config;
import java.util.List;

/**
 * The attempts to log in as an account, for its export and its deletion. Attempts are matched on
 * the identity they claimed: the user name, an alias, the E.164 number or one of the account's
 * addresses. On deletion they go too, unless the operator keeps them
 * ({@code accounts.deletion.auth-attempts=keep}), e.g. to investigate an attack on a closed account.
 */
public final class AuthAttemptData implements AccountData {
    /** What account deletion does with the account's attempts. */
    public enum Retention {
        DELETE, KEEP;

        /** {@code accounts.deletion.auth-attempts}; @throws org.parley.config.ConfigException naming it */
        public static Retention from(Config c) {
            return c.choice("accounts.deletion.auth-attempts", Retention.class);
        }
    }

    private final AuthAttemptLog log;
    private final String domain;
    private final Retention retention;

    public AuthAttemptData(AuthAttemptLog log, String domain, Retention retention) {
        this.log = log;
        this.domain = domain;
        this.retention = retention;
    }

    @Override
    public String section() {
        return "authAttempts";
    }

    @Override
    public Object export(Account account) {
        return log.concerning(identities(account)).stream().map(AttemptView::of).toList();
    }

    @Override
    public void erase(Account account) {
        if (retention == Retention.DELETE) {
            log.forget(identities(account));
        }
    }

    private List<String> identities(Account account) {
        List<String> identities = new ArrayList<>();
        identities.add(account.username());
        identities.addAll(account.aliases());
        account.e164().ifPresent(identities::add);
        identities.addAll(AccountAddresses.of(account, domain));
        return identities;
    }

    /** One attempt in the export. */
    public record AttemptView(String at, String identity, boolean success, String reason, String door,
                              String source, String transport, String userAgent) {
        static AttemptView of(AuthAttempt a) {
            return new AttemptView(a.at().toString(), a.identity(), a.success(), a.reason(), a.door(), a.source(),
                    a.transport(), a.userAgent().orElse(null));
        }
    }
}
