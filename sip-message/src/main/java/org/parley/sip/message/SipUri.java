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

    /**
     * Parses {@code text[start, uriEnd)}, whose scheme ends at {@code colon}, in place: one copy of
     * each part present, none of the text between them or around it.
     */
    static SipUri parseSip(String text, int start, int colon, int uriEnd) {
        boolean secure = colon - start == 4;
        int begin = colon + 1;
        String user = null;
        String password = null;
        int hostStart = begin;
        int at = text.lastIndexOf('@', uriEnd - 1);
        if (at >= begin) {
            int pw = text.indexOf(':', begin);
            if (pw > at) {
                pw = -1;
            }
            user = text.substring(begin, pw >= 0 ? pw : at);
            password = pw >= 0 ? text.substring(pw + 1, at) : null;
            if (user.isEmpty()) {
                throw fault("empty user part in SIP URI: ", text, start, uriEnd);
            }
            if (!escapesWellFormed(user)) {
                throw fault("bad escape in SIP URI: ", text, start, uriEnd);
            }
            hostStart = at + 1;
        }
        String headers = null;
        int end = uriEnd;
        int q = text.indexOf('?', hostStart);
        if (q >= 0 && q < uriEnd) {
            headers = text.substring(q + 1, uriEnd);
            end = q;
        }
        int semi = text.indexOf(';', hostStart);
        if (semi >= end) {
            semi = -1;
        }
        int hostEnd = semi >= 0 ? semi : end;
        Params params = semi >= 0 ? uriParams(text, semi + 1, end, start, uriEnd) : Params.EMPTY;
        String host;
        int port = -1;
        if (hostStart < hostEnd && text.charAt(hostStart) == '[') {
            int close = text.indexOf(']', hostStart);
            if (close < 0 || close >= hostEnd) {
                throw fault("unterminated IPv6 reference in SIP URI: ", text, start, uriEnd);
            }
            host = text.substring(hostStart, close + 1);
            if (!Ipv6Reference.isValid(host)) {
                throw fault("bad IPv6 reference in SIP URI: ", text, start, uriEnd);
            }
            if (close + 1 < hostEnd) {
                if (text.charAt(close + 1) != ':') {
                    throw fault("bad host in SIP URI: ", text, start, uriEnd);
                }
                port = checkedPort(text, close + 2, hostEnd, start, uriEnd);
            }
        } else {
            int pc = text.indexOf(':', hostStart);
            if (pc >= hostEnd) {
                pc = -1;
            }
            if (pc >= 0) {
                port = checkedPort(text, pc + 1, hostEnd, start, uriEnd);
            }
            int nameEnd = pc >= 0 ? pc : hostEnd;
            if (nameEnd == hostStart || !isHostName(text, hostStart, nameEnd)) {
                throw fault("bad host in SIP URI: ", text, start, uriEnd);
            }
            host = RecentHosts.host(text, hostStart, nameEnd);
        }
        return new SipUri(secure, user, password, host, port, params, headers);
    }

    /** A fault naming the URI {@code text[start, end)}, copied only now that there is one. */
    private static SipParseException fault(String what, String text, int start, int end) {
        return new SipParseException(what + Uri.abbreviate(text.substring(start, end)));
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

    /**
     * URI parameters between {@code start} and {@code end}, each {@code name[=value]}, separated by
     * ';'; a fault names the URI {@code text[uriStart, uriEnd)}.
     */
    private static Params uriParams(String text, int start, int end, int uriStart, int uriEnd) {
        Params.Param[] list = null;
        int size = 0;
        int from = start;
        while (true) {
            int semi = text.indexOf(';', from);
            int to = semi < 0 || semi > end ? end : semi;
            if (to == from) {
                throw fault("empty parameter in SIP URI: ", text, uriStart, uriEnd);
            }
            int eq = text.indexOf('=', from);
            if (eq >= to) {
                eq = -1;
            }
            list = Params.grown(list, size);
            list[size++] = new Params.Param(Lexer.name(text, from, eq >= 0 ? eq : to), eq >= 0 ? text.substring(eq + 1, to) : null);
            if (to == end) {
                return Params.of(list, size);
            }
            from = to + 1;
        }
    }

    private static int checkedPort(String text, int start, int end, int uriStart, int uriEnd) {
        int port = port(text, start, end);
        if (port == -1) {
            throw fault("bad port in SIP URI: ", text, uriStart, uriEnd);
        }
        if (port == -2) {
            throw fault("port out of range in SIP URI: ", text, uriStart, uriEnd);
        }
        return port;
    }

    private static boolean escapesWellFormed(String s) {
        if (s.indexOf('%') < 0) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%' && (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0)) {
                return false;
            }
        }
        return true;
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

    /**
     * The length of {@link #toString}, counted without making it: the encoder writes a
     * Request-URI straight into the message it sizes up front (issue 13).
     */
    int textLength() {
        int n = (secure ? 4 : 3) + 1 + host.length() + params.textLength();
        if (user != null) {
            n += user.length() + 1 + (password != null ? 1 + password.length() : 0);
        }
        if (port >= 0) {
            n += 1 + WireEncoder.digits(port);
        }
        return headers != null ? n + 1 + headers.length() : n;
    }

    /** Written into a buffer of its exact length ({@link #textLength}), as a Contact or Route of every answer and relay is. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(textLength());
        appendTo(sb);
        return sb.toString();
    }

    /**
     * Whether {@code text} is {@link #toString}'s text, compared part by part without making it: a
     * digest {@code uri} is compared with the Request-URI on every authenticated request.
     */
    public boolean isWrittenAs(String text) {
        if (text.length() != textLength()) {
            return false;
        }
        String scheme = scheme();
        if (!text.startsWith(scheme) || text.charAt(scheme.length()) != ':') {
            return false;
        }
        int at = scheme.length() + 1;
        if (user != null) {
            at = matched(text, at, user);
            if (at >= 0 && password != null) {
                at = text.charAt(at) == ':' ? matched(text, at + 1, password) : -1;
            }
            if (at < 0 || text.charAt(at++) != '@') {
                return false;
            }
        }
        at = matched(text, at, host);
        if (at >= 0 && port >= 0) {
            at = text.charAt(at) == ':' ? digitsOf(text, at + 1, port) : -1;
        }
        if (at >= 0) {
            at = params.matched(text, at, ';');
        }
        if (at >= 0 && headers != null) {
            at = text.charAt(at) == '?' ? matched(text, at + 1, headers) : -1;
        }
        return at == text.length();
    }

    /** The index after {@code part} when {@code text} has it at {@code at}, else -1. */
    static int matched(String text, int at, String part) {
        return text.startsWith(part, at) ? at + part.length() : -1;
    }

    /** The index after {@code port}'s decimal digits when {@code text} has them at {@code at}, else -1. */
    private static int digitsOf(String text, int at, int port) {
        int end = at + WireEncoder.digits(port);
        return end <= text.length() && port(text, at, end) == port ? end : -1;
    }

    /** Appends {@link #toString}'s text without making it first (an address writes its URI so). */
    public void appendTo(StringBuilder sb) {
        sb.append(scheme()).append(':');
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
    }
}
