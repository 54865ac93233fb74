package org.parley.sip.message;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The grammar of the headers the layers above read besides those {@link SipParser} checks
 * itself (RFC 3261 §25.1, RFC 3265, RFC 3323, RFC 3903, RFC 4028, RFC 6665). A fault found here
 * is the sender's, so it must become a 400 naming the header at the door, not an exception deep
 * in a service (which would be a 500).
 *
 * <p>Empty lists: RFC 3261 lets Accept, Accept-Encoding, Accept-Language, Allow and Supported be
 * empty ({@code [ elem *(COMMA elem) ]}); every other list needs one element, and no list has
 * an empty element between commas.
 */
final class HeaderGrammar {
    private static final Map<String, Consumer<String>> CHECKS = Map.ofEntries(
            Map.entry(HeaderNames.REQUIRE, v -> tokenList(v, HeaderNames.REQUIRE, false)),
            Map.entry(HeaderNames.PROXY_REQUIRE, v -> tokenList(v, HeaderNames.PROXY_REQUIRE, false)),
            Map.entry(HeaderNames.UNSUPPORTED, v -> tokenList(v, HeaderNames.UNSUPPORTED, false)),
            Map.entry(HeaderNames.SUPPORTED, v -> tokenList(v, HeaderNames.SUPPORTED, true)),
            Map.entry(HeaderNames.ALLOW, v -> tokenList(v, HeaderNames.ALLOW, true)),
            Map.entry("Content-Encoding", v -> tokenList(v, "Content-Encoding", false)),
            Map.entry("Content-Language", v -> tokenList(v, "Content-Language", false)),
            Map.entry("Allow-Events", v -> parameterisedList(v, "Allow-Events", false)),
            Map.entry("Accept-Encoding", v -> parameterisedList(v, "Accept-Encoding", true)),
            Map.entry("Accept-Language", v -> parameterisedList(v, "Accept-Language", true)),
            Map.entry("Request-Disposition", v -> tokenList(v, "Request-Disposition", false)),
            Map.entry(HeaderNames.ACCEPT, HeaderGrammar::accept),
            Map.entry(HeaderNames.CONTENT_TYPE, v -> mediaType(v, HeaderNames.CONTENT_TYPE)),
            Map.entry("Privacy", HeaderGrammar::privacy),
            Map.entry("Event", v -> parameterised(v, "Event")),
            Map.entry("Subscription-State", v -> parameterised(v, "Subscription-State")),
            Map.entry("Content-Disposition", v -> parameterised(v, "Content-Disposition")),
            Map.entry("Priority", HeaderGrammar::single),
            Map.entry("SIP-ETag", HeaderGrammar::single),
            Map.entry("SIP-If-Match", HeaderGrammar::single),
            Map.entry(HeaderNames.MIN_EXPIRES, v -> HeaderValues.boundedNumber(v, 0xFFFFFFFFL, HeaderNames.MIN_EXPIRES)),
            Map.entry("Session-Expires", HeaderGrammar::sessionExpires),
            Map.entry(HeaderNames.P_ASSERTED_IDENTITY, v -> addresses(v, HeaderNames.P_ASSERTED_IDENTITY)),
            Map.entry("P-Preferred-Identity", v -> addresses(v, "P-Preferred-Identity")),
            Map.entry("Reply-To", v -> address(v, "Reply-To")),
            Map.entry("Refer-To", v -> address(v, "Refer-To")),
            Map.entry("Referred-By", v -> address(v, "Referred-By")));

    private HeaderGrammar() {
    }

    /** Throws {@link SipParseException} (400, the reason naming the header) when a known header is malformed. */
    static void check(Header header) {
        Consumer<String> check = CHECKS.get(header.name());
        if (check != null) {
            try {
                check.accept(header.value());
            } catch (SipParseException e) {
                throw new SipParseException("bad " + header.name() + " header: " + e.getMessage());
            }
        }
    }

    private static void tokenList(String value, String name, boolean mayBeEmpty) {
        for (String element : elements(value, name, mayBeEmpty)) {
            if (!Lexer.isToken(element)) {
                throw new SipParseException("not a token: " + Uri.abbreviate(element));
            }
        }
    }

    private static void parameterisedList(String value, String name, boolean mayBeEmpty) {
        for (String element : elements(value, name, mayBeEmpty)) {
            parameterised(element, name);
        }
    }

    /** {@code token *(SEMI generic-param)}: events, subscription states, dispositions. */
    private static void parameterised(String value, String name) {
        Lexer lx = new Lexer(value);
        lx.skipToken(name);
        endsAfterParams(lx, name);
    }

    private static void single(String value) {
        if (!Lexer.isToken(value)) {
            throw new SipParseException("not a token");
        }
    }

    /** RFC 3261 §20.1: media ranges, {@code * / *} and {@code type/*} included. */
    private static void accept(String value) {
        for (String element : elements(value, HeaderNames.ACCEPT, true)) {
            mediaType(element, HeaderNames.ACCEPT);
        }
    }

    /**
     * A check only: the tokens are moved over, not copied, and the words a fault would use are
     * constants, not put together for every check (a Content-Type comes with nearly every request).
     */
    private static void mediaType(String value, String name) {
        boolean accept = name == HeaderNames.ACCEPT;
        Lexer lx = new Lexer(value);
        lx.skipToken(accept ? "Accept media type" : "Content-Type media type");
        lx.expect('/', name);
        lx.skipToken(accept ? "Accept media subtype" : "Content-Type media subtype");
        endsAfterParams(lx, name);
    }

    /** RFC 3323 §4.2: {@code priv-value *(";" priv-value)}, separated by semicolons, not commas. */
    private static void privacy(String value) {
        for (String part : value.split(";", -1)) {
            if (!Lexer.isToken(part.strip())) {
                throw new SipParseException(part.isBlank() ? "empty value" : "not a token: " + Uri.abbreviate(part.strip()));
            }
        }
    }

    /** RFC 4028 §4: {@code delta-seconds *(SEMI se-params)}. */
    private static void sessionExpires(String value) {
        int semi = value.indexOf(';');
        HeaderValues.boundedNumber(semi < 0 ? value : value.substring(0, semi), 0xFFFFFFFFL, "Session-Expires");
        if (semi >= 0) {
            endsAfterParams(new Lexer(value.substring(semi)), "Session-Expires");
        }
    }

    private static void addresses(String value, String name) {
        for (String element : elements(value, name, false)) {
            address(element, name);
        }
    }

    private static void address(String value, String name) {
        Address.parse(value);
    }

    private static List<String> elements(String value, String name, boolean mayBeEmpty) {
        if (value.isBlank()) {
            if (mayBeEmpty) {
                return List.of();
            }
            throw new SipParseException("empty value");
        }
        try {
            return HeaderValues.splitCommas(value);
        } catch (SipParseException e) {
            throw new SipParseException("empty list element");
        }
    }

    private static void endsAfterParams(Lexer lx, String name) {
        lx.params(name);
        if (!lx.atEnd()) {
            throw new SipParseException("unexpected text: " + Uri.abbreviate(lx.rest()));
        }
    }

}
