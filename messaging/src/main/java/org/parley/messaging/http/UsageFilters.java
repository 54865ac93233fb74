package org.parley.messaging.http;

import io.helidon.webserver.http.ServerRequest;
import org.parley.http.ProblemException;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageQuery;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The filters of {@code GET /usage} and {@code /usage/export}: sender, recipient, event, and the
 * period [from, to) as ISO-8601 instants. Bad values are a 400 rather than an empty result, which
 * an operator preparing charging data could mistake for "no traffic".
 */
final class UsageFilters {
    private static final String EVENTS = Arrays.stream(UsageEvent.values())
            .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));

    private UsageFilters() {
    }

    static UsageQuery from(ServerRequest req) {
        Optional<Instant> from = param(req, "from").map(v -> instant("from", v));
        Optional<Instant> to = param(req, "to").map(v -> instant("to", v));
        if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
            throw ProblemException.badRequest("'to' must not be before 'from'");
        }
        return new UsageQuery(param(req, "sender"), param(req, "recipient"), param(req, "event").map(UsageFilters::event),
                from, to);
    }

    private static Optional<String> param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().map(String::strip).filter(v -> !v.isEmpty());
    }

    private static UsageEvent event(String value) {
        try {
            return UsageEvent.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'event' must be one of " + EVENTS + ", got '" + value + "'");
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("'" + name + "' must be an ISO-8601 instant such as "
                    + "2025-01-31T00:00:00Z, got '" + value + "'");
        }
    }
}
