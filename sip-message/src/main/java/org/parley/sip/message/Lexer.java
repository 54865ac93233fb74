package org.parley.sip.message;

/**
 * A cursor over one header value (already unfolded) for the small grammars of RFC 3261 §25:
 * tokens, quoted strings, separators with optional white space around them.
 */
final class Lexer {
    private final String text;
    private int pos;

    Lexer(String text) {
        this.text = text;
    }

    /** RFC 3261 §25.1 token characters, as a table: every header name and parameter is read with it. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            TOKEN[c] = Character.isLetterOrDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0;
        }
    }

    static boolean isTokenChar(char c) {
        return c < 128 && TOKEN[c];
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    int position() {
        return pos;
    }

    void position(int p) {
        pos = p;
    }

    String rest() {
        return text.substring(pos);
    }

    String text() {
        return text;
    }

    void skipWs() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    boolean tryConsume(char c) {
        skipWs();
        if (peek() == c && !atEnd()) {
            pos++;
            skipWs();
            return true;
        }
        return false;
    }

    void expect(char c, String what) {
        if (!tryConsume(c)) {
            throw new SipParseException("expected '" + c + "' in " + what);
        }
    }

    /** Moves over a token (white space before it skipped) and returns where it began. */
    int skipToken(String what) {
        skipWs();
        int start = pos;
        while (!atEnd() && isTokenChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw new SipParseException("expected a token in " + what);
        }
        return start;
    }

    /** Reads up to (not including) any of the stop characters, outside quotes. */
    String until(String stops) {
        int start = pos;
        skipUntil(stops);
        return text.substring(start, pos);
    }

    /**
     * Moves up to (not onto) any of the stop characters, copying nothing. One stop character (the
     * '<' and '>' around every From and To URI) is searched for by {@link String#indexOf(int, int)},
     * which reads many characters at a time.
     */
    void skipUntil(String stops) {
        if (stops.length() == 1) {
            int at = pos < text.length() ? text.indexOf(stops.charAt(0), pos) : -1;
            pos = at < 0 ? Math.max(pos, text.length()) : at;
            return;
        }
        while (!atEnd() && stops.indexOf(peek()) < 0) {
            pos++;
        }
    }

    /** A quoted-string at the cursor, returned without its quotes and with escapes resolved. */
    String quoted(String what) {
        skipWs();
        if (peek() != '"' || atEnd()) {
            throw new SipParseException("expected a quoted string in " + what);
        }
        pos++;
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                out.append(text.charAt(pos++));
            } else {
                out.append(c);
            }
        }
        throw new SipParseException("unterminated quoted string in " + what);
    }

    /** Parameters `;name[=value]` until the end or a character that is not ';'. */
    Params params(String what) {
        Params.Param[] list = null; // most values have no parameters: no array for them
        int size = 0;
        while (tryConsume(';')) {
            String name = paramName(what);
            String value = null;
            if (tryConsume('=')) {
                value = peek() == '"' ? quotedRaw(what) : paramValue(what);
            }
            list = Params.grown(list, size);
            list[size++] = new Params.Param(name, value);
        }
        skipWs();
        return list == null ? Params.EMPTY : Params.of(list, size);
    }

    /**
     * A parameter name; the names every request carries are the constants, not copies (the
     * fault's text is only put together when there is one).
     */
    private String paramName(String what) {
        skipWs();
        int start = pos;
        while (!atEnd() && isTokenChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw new SipParseException("expected a token in parameter name of " + what);
        }
        return name(text, start, pos);
    }

    /** {@code text[start, end)}: the constant when it is a parameter name every request carries, else a copy. */
    static String name(String text, int start, int end) {
        int length = end - start;
        for (String known : KNOWN_PARAMS) {
            if (known.length() == length && holds(text, start, known)) {
                return known;
            }
        }
        return text.substring(start, end);
    }

    /** {@code text[start, end)}: the constant when it is a method of RFC 3261 or the RFCs Parley serves, else a copy. */
    static String method(String text, int start, int end) {
        int length = end - start;
        for (String known : KNOWN_METHODS) {
            if (known.length() == length && holds(text, start, known)) {
                return known;
            }
        }
        return text.substring(start, end);
    }

    /**
     * Whether {@code text} holds {@code word} at {@code start} (the caller checked there is room), compared
     * character by character: the words are a few characters long, shorter than what makes
     * {@link String#startsWith}'s vectorised compare pay for its call.
     */
    static boolean holds(String text, int start, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (text.charAt(start + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The constant of a method {@link #method} knows spelt exactly as {@code head[start, end)}, else null. */
    static String knownMethod(byte[] head, int start, int end) {
        int length = end - start;
        for (String known : KNOWN_METHODS) {
            if (known.length() == length && spelt(known, head, start)) {
                return known;
            }
        }
        return null;
    }

    private static boolean spelt(String word, byte[] head, int start) {
        for (int i = 0; i < word.length(); i++) {
            if (head[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static final String[] KNOWN_METHODS = {"MESSAGE", "REGISTER", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INVITE",
        "ACK", "BYE", "CANCEL", "OPTIONS", "REFER", "UPDATE", "PRACK", "INFO"};

    private static final String[] KNOWN_PARAMS = {"branch", "tag", "rport", "received", "lr", "transport", "user",
        "expires", "q", "maddr", "ttl", "method", "ob", "reg-id", "+sip.instance"};

    /** A quoted-string at the cursor, returned with its quotes and escapes as written. */
    private String quotedRaw(String what) {
        skipWs();
        int start = pos;
        pos++; // the opening quote, which the caller saw
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return text.substring(start, pos);
            }
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                pos++;
            }
        }
        throw new SipParseException("unterminated quoted string in " + what);
    }

    private String paramValue(String what) {
        skipWs();
        int start = pos;
        if (peek() == '[') {
            while (!atEnd() && peek() != ']') {
                pos++;
            }
            if (atEnd()) {
                throw new SipParseException("unterminated IPv6 reference in " + what);
            }
            pos++;
        } else {
            while (!atEnd() && (isTokenChar(peek()) || peek() == ':')) {
                pos++;
            }
        }
        if (start == pos) {
            throw new SipParseException("empty parameter value in " + what);
        }
        return text.substring(start, pos);
    }
}
