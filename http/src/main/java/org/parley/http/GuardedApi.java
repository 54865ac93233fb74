package org.parley.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.List;

/**
 * Resources behind one guard: the guard (the admin token, or the user's own credentials) runs
 * first for every request under the mount point, then the resources.
 */
final class GuardedApi implements HttpService {
    static final String ADMIN_PATH = "/admin/v1";
    static final String USER_PATH = "/api/v1";
    static final String XCAP_PATH = "/xcap-root";

    private final Handler guard;
    private final List<HttpService> resources;

    GuardedApi(Handler guard, List<HttpService> resources) {
        this.guard = guard;
        this.resources = List.copyOf(resources);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(guard);
        resources.forEach(rules::register);
    }
}
