package org.parley.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * CORS (the Fetch standard's protocol) for pages of the configured other origins calling the user
 * API and XCAP. A preflight from such an origin is answered here, before any credentials check:
 * it never carries credentials, so the guard behind would refuse it with 401 and the browser would
 * never send the real request. Requests from other origins, and every request when no origin is
 * configured, pass untouched: the browser then keeps the answer from the page.
 */
public final class CorsFilter implements Filter {
    /** The doors a page may call; /admin/v1 stays an operator's tool, not a page's. */
    private static final Set<String> PREFIXES = Set.of("/api/v1/", "/xcap-root/");
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");
    private static final HeaderName ALLOW_ORIGIN = HeaderNames.create("Access-Control-Allow-Origin");
    private static final HeaderName ALLOW_METHODS = HeaderNames.create("Access-Control-Allow-Methods");
    private static final HeaderName ALLOW_HEADERS = HeaderNames.create("Access-Control-Allow-Headers");
    private static final HeaderName EXPOSE_HEADERS = HeaderNames.create("Access-Control-Expose-Headers");
    private static final HeaderName MAX_AGE = HeaderNames.create("Access-Control-Max-Age");

    private final Set<String> origins;

    public CorsFilter(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN).filter(this::allowed);
        String path = req.prologue().uriPath().rawPath();
        if (origin.isEmpty() || PREFIXES.stream().noneMatch(p -> path.startsWith(p) || (path + "/").equals(p))) {
            chain.proceed();
            return;
        }
        res.header(ALLOW_ORIGIN, origin.get());
        res.header(HeaderNames.VARY, "Origin");
        if (req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD)) {
            res.header(ALLOW_METHODS, "GET, HEAD, POST, PUT, PATCH, DELETE");
            res.header(ALLOW_HEADERS, "Authorization, Content-Type, If-Match, If-None-Match");
            res.header(MAX_AGE, "600");
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        // what a page needs to read besides the simple headers: XCAP's ETag, a challenge, a retry hint
        res.header(EXPOSE_HEADERS, "ETag, Location, WWW-Authenticate, Retry-After");
        chain.proceed();
    }

    private boolean allowed(String origin) {
        return origins.contains(origin.toLowerCase(Locale.ROOT));
    }
}
