package org.parley.xdm.xcap;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The If-Match and If-None-Match headers of a request (RFC 9110 §13.1.1-2): entity tags without
 * their quotes, or "*". XCAP ETags are strong, so a weak tag (W/...) never matches.
 */
public record Conditions(Optional<List<String>> ifMatch, Optional<List<String>> ifNoneMatch) {
    public static final Conditions NONE = new Conditions(Optional.empty(), Optional.empty());

    public static Conditions of(Optional<String> ifMatch, Optional<String> ifNoneMatch) {
        return new Conditions(ifMatch.map(Conditions::tags), ifNoneMatch.map(Conditions::tags));
    }

    private static List<String> tags(String header) {
        return Arrays.stream(header.split(","))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .map(t -> t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t)
                .toList();
    }

    /** Whether a state-changing request may go ahead on a document with this ETag (null: absent). */
    public boolean allowsWrite(String currentEtag) {
        return ifMatchHolds(currentEtag) && !ifNoneMatchMatches(currentEtag);
    }

    public boolean ifMatchHolds(String currentEtag) {
        return ifMatch.map(tags -> currentEtag != null && (tags.contains("*") || tags.contains(currentEtag)))
                .orElse(true);
    }

    public boolean ifNoneMatchMatches(String currentEtag) {
        return ifNoneMatch.map(tags -> currentEtag != null && (tags.contains("*") || tags.contains(currentEtag)))
                .orElse(false);
    }
}
