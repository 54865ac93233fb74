package org.parley.xdm.usage.ietf;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.xdm.XcapConflict;

/**
 * The addresses a user may give the services of a resource list server (RFC 4826 §4.3.5, issue
 * 9 §4). A service URI is a SIP address of the domain, so it must not take anybody's: the user
 * part of bob's service {@code friends} is {@code bob-friends} — {@code sip:bob-friends@example.com}.
 * Never an account's identity (username, alias or E.164 number), never inside another user's
 * prefix ({@code sip:bob-smith-x@…} belongs to the account {@code bob-smith} when there is one:
 * the longest username before a '-' owns the name), and never a group's address (groups live in
 * their own domain, {@code groups.<domain>}, so they cannot meet here). Uniqueness across the
 * domain is checked by {@link RlsServicesUsage}.
 *
 * @param domain    the user domain every service URI is in
 * @param isAccount whether a user part names an existing account by any of its identities
 */
public record ServiceUris(String domain, Predicate<String> isAccount) {
    private static final Pattern SIP = Pattern.compile("sip:([^@;?]+)@([^;?>]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._~-]{0,63}");

    public ServiceUris {
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Checks that {@code owner} (a user's XUI) may use {@code uri} for a service: in the domain,
     * with the owner's prefix, and not in another user's prefix. Whether it is an account's own
     * address is {@link #isAccountAddress}, reported by the caller as a uniqueness failure.
     *
     * @throws XcapConflict constraint-failure naming the form the URI must have
     */
    void check(String owner, String uri) throws XcapConflict {
        String user = userOf(owner).orElseThrow(() -> new XcapConflict("constraint-failure",
                "only users of " + domain + " have resource list services"));
        String prefix = user + "-";
        String form = "a service URI of " + owner + " must be sip:" + prefix + "<name>@" + domain;
        String part = userOf(uri).orElseThrow(() -> new XcapConflict("constraint-failure", form));
        if (!part.startsWith(prefix) || part.length() == prefix.length() || !NAME.matcher(part).matches()) {
            throw new XcapConflict("constraint-failure", form);
        }
        for (int dash = part.indexOf('-', prefix.length()); dash > 0; dash = part.indexOf('-', dash + 1)) {
            if (isAccount.test(part.substring(0, dash))) {
                throw new XcapConflict("constraint-failure", "'" + uri + "' is among the addresses of the user "
                        + part.substring(0, dash) + "; " + form);
            }
        }
    }

    /**
     * A free URI like {@code uri} for the uniqueness-failure's alt-value (RFC 4825 §11.4): digits
     * appended to the user part ({@code sip:bob-pals2@…}), not "-2", which could fall in the
     * addresses of a user named like the taken one.
     */
    String alternative(String owner, String uri, Predicate<String> taken) {
        int at = uri.indexOf('@');
        String head = at < 0 ? uri : uri.substring(0, at);
        String tail = at < 0 ? "" : uri.substring(at);
        for (int i = 2; ; i++) {
            String candidate = head + i + tail;
            if (!taken.test(candidate) && !isAccountAddress(candidate) && permitted(owner, candidate)) {
                return candidate;
            }
        }
    }

    private boolean permitted(String owner, String uri) {
        try {
            check(owner, uri);
            return true;
        } catch (XcapConflict e) {
            return false;
        }
    }

    /** Whether {@code uri} is the address of an account of the domain (any of its identities). */
    boolean isAccountAddress(String uri) {
        return userOf(uri).filter(isAccount).isPresent();
    }

    private Optional<String> userOf(String xui) {
        if (xui == null) {
            return Optional.empty();
        }
        Matcher m = SIP.matcher(xui.strip());
        return m.matches() && m.group(2).equalsIgnoreCase(domain)
                ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
