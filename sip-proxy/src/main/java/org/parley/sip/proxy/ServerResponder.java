package org.parley.sip.proxy;

import java.util.TreeSet;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * Answers requests addressed to the server itself: OPTIONS with what it can do (RFC 3261
 * §11.2: Allow, Accept, Supported), anything else it does not serve with 405.
 */
final class ServerResponder {
    private final ProxySettings settings;

    ServerResponder(ProxySettings settings) {
        this.settings = settings;
    }

    SipResponse answer(SipRequest req, String toTag) {
        SipResponse r = req.isMethod("OPTIONS")
                ? req.createResponse(200, "OK", toTag)
                : req.createResponse(405, "Method Not Allowed", toTag);
        return r.withHeader(HeaderNames.ALLOW, String.join(", ", new TreeSet<>(settings.allow())))
                .withHeader(HeaderNames.ACCEPT, String.join(", ", new TreeSet<>(settings.accept())))
                .withHeader(HeaderNames.SUPPORTED, String.join(", ", new TreeSet<>(settings.supported())))
                .withHeader(HeaderNames.SERVER, settings.serverHeader());
    }
}
