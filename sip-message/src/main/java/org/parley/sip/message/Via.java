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
        List<Via> out = new ArrayList<>();
        for (String part : HeaderValues.splitCommas(value)) {
            out.add(parse(part));
        }
        return out;
    }

    public static Via parse(String value) {
        Lexer lx = new Lexer(value);
        String name = lx.token("Via protocol name");
        lx.expect('/', "Via");
        String version = lx.token("Via protocol version");
        lx.expect('/', "Via");
        String transport = lx.token("Via transport");
        if (!name.equalsIgnoreCase("SIP") || !version.equals("2.0")) {
            throw new SipParseException("unsupported protocol in Via: " + name + "/" + version);
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
            host = lx.until(":; \t,");
        }
        if (host.isEmpty() || !(host.startsWith("[") || host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.')))) {
            throw new SipParseException("bad sent-by host in Via: " + Uri.abbreviate(value));
        }
        int port = -1;
        if (lx.tryConsume(':')) {
            String p = lx.until("; \t,");
            if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 65535) {
                throw new SipParseException("bad sent-by port in Via: " + Uri.abbreviate(value));
            }
            port = Integer.parseInt(p);
        }
        Params params = lx.params("Via");
        if (!lx.atEnd()) {
            throw new SipParseException("unexpected text in Via: " + Uri.abbreviate(lx.rest()));
        }
        return new Via(transport.toUpperCase(Locale.ROOT), host, port, params);
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SIP/2.0/").append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb, ';');
        return sb.toString();
    }
}
