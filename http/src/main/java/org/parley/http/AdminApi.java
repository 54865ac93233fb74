package org.parley.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.List;

/** Everything under {@value #PATH}: the token check first, then the built-in and contributed resources. */
final class AdminApi implements HttpService {
    static final String PATH = "/admin/v1";

    private final AdminTokenFilter filter;
    private final List<HttpService> resources;

    AdminApi(AdminTokenFilter filter, List<HttpService> resources) {
        this.filter = filter;
        this.resources = List.copyOf(resources);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(filter);
        resources.forEach(rules::register);
    }
}
