package org.parley.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttemptLog;
import org.parley.http.Readiness;
import org.parley.store.Database;

/** What the assembly has built before the components start: everything a component may need. */
public record ServerContext(ServerSettings settings, Database database, AccountService accounts,
                            AuthAttemptLog authAttempts, PrometheusMeterRegistry meterRegistry, Readiness readiness,
                            TlsFiles tls) {
}
