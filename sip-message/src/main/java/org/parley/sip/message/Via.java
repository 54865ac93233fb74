package org.parley.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One Via entry (RFC 3261 §20.42, RFC 3581 rport).
 *
 * @param port -1 when the sent-by has no port
 */
public record Via(String transport, String host, int port, Params params) {

    /** The RFC 3261 branch cookie: a branch starting with it is globally unique (§8.1.1.7). */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    public static List<Via> parseList(String value) {
        List<Via> out = new ArrayList<>(1);
        parseList(value, out);
        return out;
    }

    /** Adds the elements of one Via line to {@code out}; a line of one element is not split first. */
    static void parseList(String value, List<Via> out) {
        if (value.indexOf(',') < 0 && !value.isBlank()) {
            out.add(parse(value));
            return;
        }
        for (String part : HeaderValues.splitCommas(value)) {
            out.add(parse(part));
        }
    }

    /** Parses one element in place: only the host, the parameters and an unusual transport are copied. */
    public static Via parse(String value) {
        Lexer lx = new Lexer(value);
        int name = lx.skipToken("Via protocol name");
        int nameEnd = lx.position();
        lx.expect('/', "Via");
        int version = lx.skipToken("Via protocol version");
        int versionEnd = lx.position();
        lx.expect('/', "Via");
        int transportStart = lx.skipToken("Via transport");
        String transport = transport(value, transportStart, lx.position());
        if (nameEnd - name != 3 || !value.regionMatches(true, name, "SIP", 0, 3)
                || versionEnd - version != 3 || !value.startsWith("2.0", version)) {
            throw new SipParseException("unsupported protocol in Via: " + value.substring(name, nameEnd) + "/"
                    + value.substring(version, versionEnd));
        }
        lx.skipWs();
        String host;
        if (lx.peek() == '[') {
            host = lx.until("]") + "]";
            if (lx.atEnd()) {
                throw new SipParseException("unterminated IPv6 reference in Via");
            }
            if (!Ipv6Reference.isValid(host)) {
                throw new SipParseException("bad IPv6 reference in Via: " + Uri.abbreviate(host));
            }
            lx.position(lx.position() + 1);
        } else {
            int hostStart = lx.position();
            lx.skipUntil(":; \t,");
            host = RecentHosts.host(value, hostStart, lx.position());
        }
        if (host.isEmpty() || !(host.charAt(0) == '[' || SipUri.isHostName(host, 0, host.length()))) {
            throw new SipParseException("bad sent-by host in Via: " + Uri.abbreviate(value));
        }
        int port = -1;
        if (lx.tryConsume(':')) {
            int p = lx.position();
            lx.skipUntil("; \t,");
            port = SipUri.port(value, p, lx.position());
            if (port < 0) { // malformed or above 65535
                throw new SipParseException("bad sent-by port in Via: " + Uri.abbreviate(value));
            }
        }
        Params params = lx.params("Via");
        if (!lx.atEnd()) {
            throw new SipParseException("unexpected text in Via: " + Uri.abbreviate(lx.rest()));
        }
        return new Via(transport, host, port, params);
    }

    private static final String[] TRANSPORTS = {"UDP", "TCP", "TLS", "WS", "WSS", "SCTP"};

    /** The transport upper-cased: one of the constants when it is a known one. */
    private static String transport(String value, int start, int end) {
        for (String t : TRANSPORTS) {
            if (t.length() == end - start && value.regionMatches(true, start, t, 0, t.length())) {
                return t;
            }
        }
        return value.substring(start, end).toUpperCase(Locale.ROOT);
    }

    public Optional<String> branch() {
        return params.get("branch");
    }

    public Optional<String> received() {
        return params.get("received");
    }

    /** True when the client asked for rport (RFC 3581), with or without a value. */
    public boolean hasRport() {
        return params.has("rport");
    }

    public Via withParam(String name, String value) {
        return new Via(transport, host, port, params.with(name, value));
    }

    /** The port responses go to when neither rport nor maddr says otherwise (§18.2.2). */
    public int portOrDefault() {
        if (port >= 0) {
            return port;
        }
        return transport.equals("TLS") || transport.equals("WSS") ? 5061 : 5060;
    }

    /** The length of {@link #toString}, counted without making it: the encoder writes a Via from its parts. */
    int textLength() {
        return 8 + transport.length() + 1 + host.length() + params.textLength() + (port >= 0 ? 1 + WireEncoder.digits(port) : 0);
    }

    /**
     * The text of the Via line, written into a buffer of its exact length: every relayed request
     * has a Via stamped (received, rport) and one put on top, and a builder left to grow from its
     * default size copied its characters three times over for each (issue 13).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(textLength()).append("SIP/2.0/").append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb, ';');
        return sb.toString();
    }
}
