package org.parley.server;

import io.helidon.webserver.http.HttpService;
import org.parley.accounts.AccountDataService;

import java.util.List;

/**
 * A part of the server with a lifecycle (the SIP transports, the registrar...). Components start in
 * list order after the store and the HTTP side, stop in reverse, and each one is a readiness check
 * of {@code /health} under its {@link #name()} that turns UP once {@link #start()} returns.
 */
public interface Component {
    String name();

    void start() throws Exception;

    /** Stop accepting work and release resources; must not throw. */
    void stop();

    /** Admin REST resources mounted under {@code /admin/v1}, behind the admin token. */
    default List<HttpService> adminServices() {
        return List.of();
    }

    /** The XCAP server mounted at {@code /xcap-root} (at most one component offers it). */
    default java.util.Optional<HttpService> xcapService() {
        return java.util.Optional.empty();
    }

    /**
     * Registers what this component keeps about accounts (for a user's export and account deletion)
     * and the live state deletion must end. Called once the component is built, before it starts;
     * the command-line tools call it on components that never start.
     */
    default void registerAccountData(AccountDataService data) {
    }

    /** User REST resources mounted under {@code /api/v1}, behind user authentication. */
    default List<HttpService> userServices() {
        return List.of();
    }
}
