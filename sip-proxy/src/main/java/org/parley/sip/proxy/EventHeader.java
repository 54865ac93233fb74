package org.parley.sip.proxy;

import java.util.Locale;
import java.util.Optional;
import org.parley.sip.message.SipRequest;

/**
 * The event package a SUBSCRIBE or PUBLISH names (RFC 6665 §8.2.1): the Event header's token
 * without its parameters, case-insensitive, matched exactly — so "presence.winfo" is not
 * "presence", nor "message-summary-x" "message-summary".
 */
public final class EventHeader {
    private EventHeader() {
    }

    public static Optional<String> eventPackage(SipRequest req) {
        return req.header("Event").map(e -> e.split(";", 2)[0].strip().toLowerCase(Locale.ROOT));
    }

    /**
     * Whether {@code req} is a SUBSCRIBE to {@code event} (lower case). Every local service asks
     * this of every SUBSCRIBE the router offers it, so it compares in place rather than making the
     * package's name (a split, a strip and a lower-cased copy each time).
     */
    public static boolean subscribes(SipRequest req, String event) {
        if (!req.isMethod("SUBSCRIBE")) {
            return false;
        }
        Optional<String> header = req.header("Event");
        if (header.isEmpty()) {
            return false;
        }
        String value = header.get();
        int semicolon = value.indexOf(';');
        int end = semicolon < 0 ? value.length() : semicolon;
        int start = 0;
        while (start < end && Character.isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        return end - start == event.length() && value.regionMatches(true, start, event, 0, event.length());
    }
}
