package org.parley.presence;

import java.util.Optional;

/**
 * The sub-handling action of RFC 5025 §3.2.1, in the order of its values: when several rules
 * match, the greatest wins (RFC 4745 §10.2).
 */
enum SubHandling {
    BLOCK("block"), CONFIRM("confirm"), POLITE_BLOCK("polite-block"), ALLOW("allow");

    private final String token;

    SubHandling(String token) {
        this.token = token;
    }

    static Optional<SubHandling> parse(String token) {
        for (SubHandling s : values()) {
            if (s.token.equals(token.strip())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    SubHandling max(SubHandling other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
