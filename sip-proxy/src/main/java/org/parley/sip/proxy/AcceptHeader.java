package org.parley.sip.proxy;

import java.util.List;
import java.util.Locale;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipRequest;

/**
 * The media types a subscriber accepts (RFC 3261 §20.1), for the notifiers' 406 (RFC 6665
 * §8.3.3): no Accept header means the package's default, a wildcard covers its range.
 */
public final class AcceptHeader {
    private final List<String> types;

    private AcceptHeader(List<String> types) {
        this.types = types;
    }

    public static AcceptHeader of(SipRequest req) {
        return new AcceptHeader(req.headers().values(HeaderNames.ACCEPT).stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList());
    }

    /** Whether a body of one of {@code offered} may be sent. */
    public boolean allowsAny(String... offered) {
        if (types.isEmpty()) {
            return true;
        }
        for (String o : offered) {
            String type = o.toLowerCase(Locale.ROOT);
            String range = type.substring(0, type.indexOf('/') + 1) + "*";
            if (types.contains(type) || types.contains(range) || types.contains("*/*")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code type} is named outright (not through a wildcard): an opt-in such as pidf-diff. */
    public boolean names(String type) {
        return types.contains(type.toLowerCase(Locale.ROOT));
    }
}
