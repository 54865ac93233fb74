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

    /** Whether {@code req} is a SUBSCRIBE to {@code event}. */
    public static boolean subscribes(SipRequest req, String event) {
        return req.isMethod("SUBSCRIBE") && eventPackage(req).map(event::equals).orElse(false);
    }
}
