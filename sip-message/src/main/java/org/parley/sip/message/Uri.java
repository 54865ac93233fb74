package org.parley.sip.message;

import java.util.Locale;

/** A URI as SIP carries it: SIP/SIPS and tel are understood, any other scheme is kept as text. */
public sealed interface Uri permits SipUri, TelUri, OtherUri {

    String scheme();

    /**
     * Parses an absolute URI. SIP, SIPS and tel are checked against their grammar; other
     * schemes only need {@code scheme ":" something} without white space.
     */
    static Uri parse(String text) {
        return parse(text, 0, text.length());
    }

    /**
     * {@link #parse(String)} of {@code text[start, end)}, read where it stands: the Request-URI
     * in its line, the URI of a From or To in its value (a request has three SIP URIs or more).
     */
    static Uri parse(String text, int start, int end) {
        int colon = text.indexOf(':', start);
        if (colon <= start || colon >= end) {
            throw new SipParseException("URI without a scheme: " + abbreviate(text.substring(start, end)));
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '"') {
                throw new SipParseException("illegal character in URI: " + abbreviate(text.substring(start, end)));
            }
        }
        int schemeLength = colon - start;
        if ((schemeLength == 3 || schemeLength == 4 && lower(text.charAt(start + 3)) == 's')
                && lower(text.charAt(start)) == 's' && lower(text.charAt(start + 1)) == 'i' && lower(text.charAt(start + 2)) == 'p') {
            return SipUri.parseSip(text, start, colon, end);
        }
        if (start != 0 || end != text.length()) {
            text = text.substring(start, end); // the other schemes are rare: they are read from a copy
            colon -= start;
        }
        if (colon == 3 && text.regionMatches(true, 0, "tel", 0, 3)) {
            return TelUri.parseTel(text, colon);
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        char first = scheme.charAt(0);
        if (!Character.isLetter(first) || !scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            throw new SipParseException("bad URI scheme: " + abbreviate(text));
        }
        return new OtherUri(scheme, text);
    }

    /**
     * An ASCII letter in lower case, any other character as it is: a scheme is ASCII (RFC 3986 §3.1),
     * so "ſip" (a long s, which {@code regionMatches} ignoring case takes for an s) is no SIP URI.
     */
    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
