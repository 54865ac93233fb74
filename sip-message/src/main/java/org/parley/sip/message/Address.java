package org.parley.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A name-addr or addr-spec with header parameters, as in From, To, Contact, Route, Record-Route
 * and Path (RFC 3261 §20). In the addr-spec form the URI may not carry ',', '?' or ';' of its
 * own (§20): such a URI must be enclosed in angle brackets, or it would be misread.
 *
 * @param displayName null when absent; unquoted
 */
public record Address(String displayName, Uri uri, Params params) {

    public static Address of(Uri uri) {
        return new Address(null, uri, Params.EMPTY);
    }

    public static Address parse(String value) {
        Lexer lx = new Lexer(value);
        Address a = parse(lx, "address");
        if (!lx.atEnd()) {
            throw new SipParseException("unexpected text after address: " + Uri.abbreviate(lx.rest()));
        }
        return a;
    }

    /** Parses a comma-separated list (Contact, Route, Record-Route, Path). */
    public static List<Address> parseList(String value) {
        List<Address> out = new ArrayList<>(2);
        parseList(value, out);
        return out;
    }

    /**
     * Adds the addresses of a comma-separated list to {@code out}. A value without a comma (nearly
     * every Contact and Route line) is one address, parsed where it stands rather than split first.
     */
    static void parseList(String value, List<Address> out) {
        if (!value.isEmpty() && value.indexOf(',') < 0) {
            out.add(parse(value));
            return;
        }
        for (String part : HeaderValues.splitCommas(value)) {
            out.add(parse(part));
        }
    }

    static Address parse(Lexer lx, String what) {
        lx.skipWs();
        String display = null;
        if (lx.peek() == '"') {
            display = lx.quoted("display name of " + what);
            lx.skipWs();
            if (lx.peek() != '<') {
                throw new SipParseException("expected '<' after display name in " + what);
            }
        } else {
            int start = lx.position();
            String before = lx.until("<");
            if (lx.atEnd()) {
                lx.position(start);
                return addrSpec(lx, what);
            }
            String trimmed = before.strip();
            if (!trimmed.isEmpty()) {
                if (!isTokenWords(trimmed)) {
                    throw new SipParseException("display name must be quoted: " + Uri.abbreviate(trimmed));
                }
                display = trimmed;
            }
        }
        lx.expect('<', what);
        int uriStart = lx.position();
        lx.skipUntil(">");
        if (lx.atEnd()) {
            throw new SipParseException("missing '>' in " + what);
        }
        int uriEnd = lx.position();
        lx.position(uriEnd + 1);
        Uri uri = Uri.parse(lx.text(), uriStart, uriEnd); // read where it stands, not copied first
        Params params = lx.params(what);
        return new Address(display, uri, params);
    }

    /**
     * An unquoted display name: tokens separated by spaces and tabs (§25.1 {@code *(token LWS)}),
     * checked in place rather than split by a regular expression.
     */
    private static boolean isTokenWords(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && !Lexer.isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static Address addrSpec(Lexer lx, String what) {
        lx.skipWs();
        String uriText = lx.until(";").strip();
        if (uriText.indexOf('?') >= 0 || uriText.indexOf(',') >= 0) {
            throw new SipParseException("URI with '?' or ',' must be enclosed in <> in " + what);
        }
        Uri uri = Uri.parse(uriText);
        return new Address(null, uri, lx.params(what));
    }

    public Optional<String> tag() {
        return params.get("tag");
    }

    public Address withParam(String name, String value) {
        return new Address(displayName, uri, params.with(name, value));
    }

    public Address withUri(Uri newUri) {
        return new Address(displayName, newUri, params);
    }

    @Override
    public String toString() {
        // sized up front (exactly, for a SIP URI) and the URI written into it, not made first: a
        // builder grown from its default size copies its characters over and over
        StringBuilder sb = new StringBuilder((uri instanceof SipUri sip ? sip.textLength() : 32) + 2 + params.textLength()
                + (displayName != null ? displayName.length() + 3 : 0));
        if (displayName != null) {
            sb.append('"').append(displayName.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" ");
        }
        sb.append('<');
        if (uri instanceof SipUri sip) {
            sip.appendTo(sb);
        } else {
            sb.append(uri);
        }
        sb.append('>');
        params.appendTo(sb, ';');
        return sb.toString();
    }
}
