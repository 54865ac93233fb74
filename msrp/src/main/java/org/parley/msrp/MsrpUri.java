package org.parley.msrp;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MSRP URI (RFC 4975 §6, §9): {@code msrp[s]://authority[/session-id];transport[;params]}.
 * Equality is the comparison of §6.1: scheme, host and transport without regard to case, port,
 * and the session id exactly; user info and URI parameters do not take part.
 *
 * @param port the explicit port, or -1 when the URI has none
 * @param sessionId empty for a URI without one (a relay's AUTH target, RFC 4976 §5)
 */
public record MsrpUri(boolean secure, String userInfo, String host, int port, String sessionId, String transport,
                      String params) {
    // authority = [userinfo "@"] host [":" port]; host may be an IPv6 reference in brackets.
    private static final Pattern SYNTAX = Pattern.compile(
            "(msrps?)://(?:([^@/;\\s]+)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.\\-_%]+)(?::([0-9]{1,5}))?"
                    + "(?:/([A-Za-z0-9\\-._~+=/%]+))?;([A-Za-z0-9]+)((?:;[^;\\s]+)*)",
            Pattern.CASE_INSENSITIVE);

    public MsrpUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(transport, "transport");
        userInfo = userInfo == null ? "" : userInfo;
        params = params == null ? "" : params;
    }

    /** A URI this side mints: no user info, no parameters. */
    public static MsrpUri of(boolean secure, String host, int port, String sessionId, String transport) {
        return new MsrpUri(secure, "", host, port, sessionId, transport, "");
    }

    public static Optional<MsrpUri> parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = -1;
        if (m.group(4) != null) {
            port = Integer.parseInt(m.group(4));
            if (port > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new MsrpUri(m.group(1).equalsIgnoreCase("msrps"), m.group(2), m.group(3), port,
                m.group(5) == null ? "" : m.group(5), m.group(6), m.group(7)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MsrpUri u && secure == u.secure && port == u.port && host.equalsIgnoreCase(u.host)
                && sessionId.equals(u.sessionId) && transport.equalsIgnoreCase(u.transport);
    }

    /** Consistent with {@link #equals}; computed without lower-cased copies, as the relay's look-ups hash URIs per chunk. */
    @Override
    public int hashCode() {
        return ((Boolean.hashCode(secure) * 31 + port) * 31 + caseless(host)) * 31 * 31 + sessionId.hashCode() * 31
                + caseless(transport);
    }

    private static int caseless(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + Character.toLowerCase(Character.toUpperCase(s.charAt(i)));
        }
        return h;
    }

    @Override
    public String toString() {
        return (secure ? "msrps" : "msrp") + "://" + (userInfo.isEmpty() ? "" : userInfo + "@") + host
                + (port >= 0 ? ":" + port : "") + (sessionId.isEmpty() ? "" : "/" + sessionId) + ";" + transport + params;
    }
}
