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

    /** Parses in place: one copy of each part present, none of the text between them. */
    static SipUri parseSip(String text, int colon) {
        boolean secure = colon == 4;
        int begin = colon + 1;
        String user = null;
        String password = null;
        int hostStart = begin;
        int at = text.lastIndexOf('@');
        if (at >= begin) {
            int pw = text.indexOf(':', begin);
            if (pw > at) {
                pw = -1;
            }
            user = text.substring(begin, pw >= 0 ? pw : at);
            password = pw >= 0 ? text.substring(pw + 1, at) : null;
            if (user.isEmpty()) {
                throw new SipParseException("empty user part in SIP URI: " + Uri.abbreviate(text));
            }
            checkEscapes(user, text);
            hostStart = at + 1;
        }
        String headers = null;
        int end = text.length();
        int q = text.indexOf('?', hostStart);
        if (q >= 0) {
            headers = text.substring(q + 1);
            end = q;
        }
        int semi = text.indexOf(';', hostStart);
        if (semi >= end) {
            semi = -1;
        }
        int hostEnd = semi >= 0 ? semi : end;
        Params params = semi >= 0 ? uriParams(text, semi + 1, end) : Params.EMPTY;
        String host;
        int port = -1;
        if (hostStart < hostEnd && text.charAt(hostStart) == '[') {
            int close = text.indexOf(']', hostStart);
            if (close < 0 || close >= hostEnd) {
                throw new SipParseException("unterminated IPv6 reference in SIP URI: " + Uri.abbreviate(text));
            }
            host = text.substring(hostStart, close + 1);
            if (!Ipv6Reference.isValid(host)) {
                throw new SipParseException("bad IPv6 reference in SIP URI: " + Uri.abbreviate(text));
            }
            if (close + 1 < hostEnd) {
                if (text.charAt(close + 1) != ':') {
                    throw new SipParseException("bad host in SIP URI: " + Uri.abbreviate(text));
                }
                port = checkedPort(text, close + 2, hostEnd);
            }
        } else {
            int pc = text.indexOf(':', hostStart);
            if (pc >= hostEnd) {
                pc = -1;
            }
            if (pc >= 0) {
                port = checkedPort(text, pc + 1, hostEnd);
            }
            int nameEnd = pc >= 0 ? pc : hostEnd;
            if (nameEnd == hostStart || !isHostName(text, hostStart, nameEnd)) {
                throw new SipParseException("bad host in SIP URI: " + Uri.abbreviate(text));
            }
            host = text.substring(hostStart, nameEnd);
        }
        return new SipUri(secure, user, password, host, port, params, headers);
    }

    /** {@code s[start, end)} holds only ASCII letters, digits, '-' and '.' (a host name or IPv4 address). */
    static boolean isHostName(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !HOST[c]) {
                return false;
            }
        }
        return true;
    }

    private static final boolean[] HOST = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            HOST[c] = Character.isLetterOrDigit(c) || c == '-' || c == '.';
        }
    }

    /**
     * The decimal port in {@code s[start, end)}: -1 when it is empty, longer than five characters
     * or not all digits, -2 when it is above 65535.
     */
    static int port(String s, int start, int end) {
        if (end <= start || end - start > 5) {
            return -1;
        }
        int port = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port > 65535 ? -2 : port;
    }

    /** URI parameters between {@code start} and {@code end}, each {@code name[=value]}, separated by ';'. */
    private static Params uriParams(String text, int start, int end) {
        Params.Builder b = Params.builder();
        int from = start;
        while (true) {
            int semi = text.indexOf(';', from);
            int to = semi < 0 || semi > end ? end : semi;
            if (to == from) {
                throw new SipParseException("empty parameter in SIP URI: " + Uri.abbreviate(text));
            }
            int eq = text.indexOf('=', from);
            if (eq >= to) {
                eq = -1;
            }
            b.put(Lexer.name(text, from, eq >= 0 ? eq : to), eq >= 0 ? text.substring(eq + 1, to) : null);
            if (to == end) {
                return b.build();
            }
            from = to + 1;
        }
    }

    private static int checkedPort(String text, int start, int end) {
        int port = port(text, start, end);
        if (port == -1) {
            throw new SipParseException("bad port in SIP URI: " + Uri.abbreviate(text));
        }
        if (port == -2) {
            throw new SipParseException("port out of range in SIP URI: " + Uri.abbreviate(text));
        }
        return port;
    }

    private static void checkEscapes(String s, String text) {
        if (s.indexOf('%') < 0) {
            return;
        }
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
