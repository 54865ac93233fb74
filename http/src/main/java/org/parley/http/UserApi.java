package org.parley.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.List;

/** Everything under {@value #PATH}: the user's own credentials first, then the contributed resources. */
final class UserApi implements HttpService {
    static final String PATH = "/api/v1";

    private final UserAuthFilter filter;
    private final List<HttpService> resources;

    UserApi(UserAuthFilter filter, List<HttpService> resources) {
        this.filter = filter;
        this.resources = List.copyOf(resources);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(filter);
        resources.forEach(rules::register);
    }
}
