package org.parley.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.parley.accounts.AccountService;
import org.parley.accounts.AuthAttemptLog;
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
}
