package org.parley.msrp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * To-Path and From-Path values already parsed. Every chunk of a session repeats the same paths,
 * and each is read several times on its way through (the syntax check, the relay, the chat
 * sessions): parsing them with the URI grammar every time was most of the relay's work. Bounded:
 * past {@link #MAX_ENTRIES} it starts over, so a peer inventing paths costs parsing, never memory.
 */
final class ParsedPaths {
    static final int MAX_ENTRIES = 8192;
    private static final Map<String, Optional<List<MsrpUri>>> PARSED = new ConcurrentHashMap<>();

    private ParsedPaths() {
    }

    static Optional<List<MsrpUri>> get(String value, Function<String, Optional<List<MsrpUri>>> parser) {
        Optional<List<MsrpUri>> known = PARSED.get(value);
        if (known != null) {
            return known;
        }
        Optional<List<MsrpUri>> parsed = parser.apply(value);
        if (PARSED.size() >= MAX_ENTRIES) {
            PARSED.clear();
        }
        PARSED.put(value, parsed);
        return parsed;
    }
}
