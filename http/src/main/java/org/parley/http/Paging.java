package org.parley.http;

import io.helidon.webserver.http.ServerRequest;

/** The {@code offset}/{@code limit} query parameters shared by every listing. */
public record Paging(int offset, int limit) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    public static Paging from(ServerRequest req) {
        int offset = intParam(req, "offset", 0);
        int limit = intParam(req, "limit", DEFAULT_LIMIT);
        if (offset < 0) {
            throw ProblemException.badRequest("offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return new Paging(offset, limit);
    }

    private static int intParam(ServerRequest req, String name, int fallback) {
        var value = req.query().first(name);
        if (value.isEmpty() || value.get().isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be an integer, got '" + value.get() + "'");
        }
    }
}
