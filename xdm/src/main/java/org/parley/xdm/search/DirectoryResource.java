package org.parley.xdm.search;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.http.Json;
import org.parley.http.ProblemException;
import org.parley.http.UserContext;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * {@code GET /api/v1/directory?gender=&minAge=&maxAge=&city=&country=&intention=&q=} (UC 5.19.6),
 * mounted with {@code ParleyHttpServer.Builder#userService}. Answers
 * {@code {"results":[{"xui":..., <searched values>}]}}; a result can be added as a contact by its XUI.
 */
public final class DirectoryResource implements HttpService {
    private final DirectorySearch search;
    private final Function<String, String> xuiOfUser;

    /** @param xuiOfUser the XUI of an authenticated user name (e.g. "alice" to "sip:alice@example.org") */
    public DirectoryResource(DirectorySearch search, Function<String, String> xuiOfUser) {
        this.search = search;
        this.xuiOfUser = xuiOfUser;
    }

    /** The response body. */
    record Results(List<DirectoryHit> results) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/directory", this::get);
    }

    private void get(ServerRequest req, ServerResponse res) {
        DirectoryQuery query;
        try {
            query = new DirectoryQuery(age(req, "minAge"), age(req, "maxAge"), param(req, "gender"),
                    param(req, "intention"), param(req, "city"), param(req, "country"), param(req, "q"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        String me = xuiOfUser.apply(UserContext.username(req));
        Json.send(res, 200, new Results(search.search(me, query)));
    }

    private static Optional<String> param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }

    private static OptionalInt age(ServerRequest req, String name) {
        Optional<String> value = param(req, name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.get()));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be a whole number of years, got '" + value.get() + "'");
        }
    }
}
