package org.parley.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A SIP or SIPS URI (RFC 3261 §19.1). {@code user} and {@code password} are kept as written
 * (escaped); {@link #unescapedUser()} gives the value compared for equality (§19.1.4).
 *
 * @param port -1 when absent
 */
public record SipUri(boolean secure, String user, String password, String host, int port,
                     Params params, String headers) implements Uri {

    public static SipUri of(String user, String host) {
        return new SipUri(false, user, null, host, -1, Params.EMPTY, null);
    }

    public static SipUri parse(String text) {
        if (Uri.parse(text) instanceof SipUri sip) {
            return sip;
        }
        throw new SipParseException("not a SIP URI: " + Uri.abbreviate(text));
    }

    static SipUri parseSip(String text, int colon) {
        boolean secure = colon == 4;
        String rest = text.substring(colon + 1);
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int pw = userinfo.indexOf(':');
            user = pw >= 0 ? userinfo.substring(0, pw) : userinfo;
            password = pw >= 0 ? userinfo.substring(pw + 1) : null;
            if (user.isEmpty()) {
                throw new SipParseException("empty user part in SIP URI: " + Uri.abbreviate(text));
            }
            checkEscapes(user, text);
        }
        String headers = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            headers = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int semi = rest.indexOf(';');
        String hostport = semi >= 0 ? rest.substring(0, semi) : rest;
        Params params = semi >= 0 ? uriParams(rest.substring(semi + 1), text) : Params.EMPTY;
        String host;
        int port = -1;
        if (hostport.startsWith("[")) {
            int end = hostport.indexOf(']');
            if (end < 0) {
                throw new SipParseException("unterminated IPv6 reference in SIP URI: " + Uri.abbreviate(text));
            }
            host = hostport.substring(0, end + 1);
            if (!Ipv6Reference.isValid(host)) {
                throw new SipParseException("bad IPv6 reference in SIP URI: " + Uri.abbreviate(text));
            }
            String after = hostport.substring(end + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new SipParseException("bad host in SIP URI: " + Uri.abbreviate(text));
                }
                port = parsePort(after.substring(1), text);
            }
        } else {
            int pc = hostport.indexOf(':');
            host = pc >= 0 ? hostport.substring(0, pc) : hostport;
            if (pc >= 0) {
                port = parsePort(hostport.substring(pc + 1), text);
            }
            if (host.isEmpty() || !host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'))) {
                throw new SipParseException("bad host in SIP URI: " + Uri.abbreviate(text));
            }
        }
        return new SipUri(secure, user, password, host, port, params, headers);
    }

    private static Params uriParams(String s, String text) {
        Params.Builder b = Params.builder();
        for (String p : s.split(";", -1)) {
            if (p.isEmpty()) {
                throw new SipParseException("empty parameter in SIP URI: " + Uri.abbreviate(text));
            }
            int eq = p.indexOf('=');
            b.put(eq >= 0 ? p.substring(0, eq) : p, eq >= 0 ? p.substring(eq + 1) : null);
        }
        return b.build();
    }

    private static int parsePort(String s, String text) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            throw new SipParseException("bad port in SIP URI: " + Uri.abbreviate(text));
        }
        int port = Integer.parseInt(s);
        if (port > 65535) {
            throw new SipParseException("port out of range in SIP URI: " + Uri.abbreviate(text));
        }
        return port;
    }

    private static void checkEscapes(String s, String text) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%' && (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0)) {
                throw new SipParseException("bad escape in SIP URI: " + Uri.abbreviate(text));
            }
        }
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** The user part with %HH escapes resolved: "%75ser" and "user" are the same user. */
    public Optional<String> unescapedUser() {
        return Optional.ofNullable(user).map(SipUri::unescape);
    }

    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public String hostLower() {
        return host.toLowerCase(Locale.ROOT);
    }

    /** The transport parameter, lower-cased, when present. */
    public Optional<String> transport() {
        return params.get("transport").map(t -> t.toLowerCase(Locale.ROOT));
    }

    public boolean isLooseRouter() {
        return params.has("lr");
    }

    public boolean isPhoneNumber() {
        return params.get("user").map("phone"::equalsIgnoreCase).orElse(false);
    }

    public SipUri withParams(Params newParams) {
        return new SipUri(secure, user, password, host, port, newParams, headers);
    }

    public SipUri withoutHeaders() {
        return new SipUri(secure, user, password, host, port, params, null);
    }

    /**
     * The address-of-record form (§10.3 step 5): scheme, unescaped user and lower-cased host,
     * with no port, parameters or headers. Used as the key of the location service.
     */
    public String aor() {
        return scheme() + ":" + unescapedUser().map(u -> u + "@").orElse("") + hostLower();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme()).append(':');
        if (user != null) {
            sb.append(user);
            if (password != null) {
                sb.append(':').append(password);
            }
            sb.append('@');
        }
        sb.append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb, ';');
        if (headers != null) {
            sb.append('?').append(headers);
        }
        return sb.toString();
    }
}
