package org.parley.sip.proxy;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;

/**
 * The domain this server is responsible for, and the host names and addresses that mean "this
 * server" in a Request-URI or Route (RFC 3261 §16.4: a Route naming us is removed).
 */
public record LocalDomains(String domain, Set<String> aliases) {

    public LocalDomains {
        domain = domain.toLowerCase(Locale.ROOT);
        aliases = aliases.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** True when the host names this server: the domain or one of its own addresses. */
    public boolean isLocal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals(domain) || aliases.contains(h);
    }

    public boolean isLocal(Uri uri) {
        return uri instanceof SipUri sip && isLocal(sip.host());
    }

    /** The canonical address of record of an account: sip:user@domain. */
    public String aorOf(String username) {
        return "sip:" + username + "@" + domain;
    }
}
