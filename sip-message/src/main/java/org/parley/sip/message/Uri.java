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
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new SipParseException("URI without a scheme: " + abbreviate(text));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '"') {
                throw new SipParseException("illegal character in URI: " + abbreviate(text));
            }
        }
        // the schemes understood are compared in place: a request has three SIP URIs or more
        if (colon == 3 && text.regionMatches(true, 0, "sip", 0, 3) || colon == 4 && text.regionMatches(true, 0, "sips", 0, 4)) {
            return SipUri.parseSip(text, colon);
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

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
