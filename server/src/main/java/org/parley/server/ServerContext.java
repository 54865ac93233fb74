package org.parley.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttemptLog;
import org.parley.accounts.JdbiAuthAttemptLog;
import org.parley.accounts.gate.AuthGate;
import org.parley.http.Readiness;
import org.parley.store.Database;

/**
 * What the assembly has built before the components start: everything a component may need.
 * {@code gate}: the one authentication gate that SIP and HTTP share (one guard, one attempt log).
 */
public record ServerContext(ServerSettings settings, Database database, AccountService accounts,
                            AuthAttemptLog authAttempts, AuthGate gate, PrometheusMeterRegistry meterRegistry,
                            Readiness readiness, TlsFiles tls) {
    /**
     * For the command-line tools, which build components to reach their stores but never start them:
     * no listener runs, so there are no TLS files, and metrics go nowhere.
     */
    static ServerContext forTools(ServerSettings settings, Database database, AccountService accounts) {
        JdbiAuthAttemptLog attempts = new JdbiAuthAttemptLog(database);
        return new ServerContext(settings, database, accounts, attempts, new AuthGate(settings.gate(), attempts),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new Readiness(), null);
    }
}
