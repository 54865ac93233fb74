package org.parley.sip.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.OtherUri;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/**
 * The checks of RFC 3261 §16.3 that every request passes before it is served or forwarded:
 * URI scheme (416), Max-Forwards (483), Proxy-Require (420). Require is checked only for
 * requests this server answers itself (§8.2.2.3), by {@link #unsupportedRequire}.
 */
public final class RequestValidator {
    private final ProxySettings settings;

    public RequestValidator(ProxySettings settings) {
        this.settings = settings;
    }

    public Optional<SipResponse> check(SipRequest req, String toTag, boolean forUs) {
        if (req.requestUri() instanceof OtherUri) {
            return Optional.of(req.createResponse(416, "Unsupported URI Scheme: " + req.requestUri().scheme(), toTag));
        }
        if (!forUs && req.maxForwards().orElse(70) == 0) {
            return Optional.of(req.createResponse(483, "Too Many Hops", toTag));
        }
        List<String> unknown = unknownTags(req, HeaderNames.PROXY_REQUIRE);
        if (forUs) {
            unknown.addAll(unknownTags(req, HeaderNames.REQUIRE));
        }
        if (!unknown.isEmpty()) {
            return Optional.of(req.createResponse(420, "Bad Extension", toTag)
                    .withHeader(HeaderNames.UNSUPPORTED, String.join(", ", unknown)));
        }
        return Optional.empty();
    }

    private List<String> unknownTags(SipRequest req, String header) {
        List<String> out = new ArrayList<>();
        for (String tag : req.headers().values(header)) {
            if (!settings.supported().contains(tag.toLowerCase(Locale.ROOT))) {
                out.add(tag);
            }
        }
        return out;
    }
}
