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

    static boolean isTokenChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0);
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

    String token(String what) {
        skipWs();
        int start = pos;
        while (!atEnd() && isTokenChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw new SipParseException("expected a token in " + what);
        }
        return text.substring(start, pos);
    }

    /** Reads up to (not including) any of the stop characters, outside quotes. */
    String until(String stops) {
        int start = pos;
        while (!atEnd() && stops.indexOf(peek()) < 0) {
            pos++;
        }
        return text.substring(start, pos);
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
        Params.Builder b = Params.builder();
        while (tryConsume(';')) {
            String name = token("parameter name of " + what);
            String value = null;
            if (tryConsume('=')) {
                value = peek() == '"' ? '"' + quotedRaw(what) + '"' : paramValue(what);
            }
            b.put(name, value);
        }
        skipWs();
        return b.build();
    }

    private String quotedRaw(String what) {
        int start = pos;
        quoted(what);
        return text.substring(start + 1, pos - 1);
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
