package org.parley.sip.message;

/** A tel URI (RFC 3966). {@code number} keeps its visual separators; see {@link #digits()}. */
public record TelUri(String number, Params params) implements Uri {

    static TelUri parseTel(String text, int colon) {
        Lexer lx = new Lexer(text.substring(colon + 1));
        String number = lx.until(";");
        if (number.isEmpty() || !number.chars().allMatch(c -> Character.isDigit(c) || "+-.()*#ABCDabcdpw".indexOf(c) >= 0)) {
            throw new SipParseException("bad telephone number in tel URI: " + Uri.abbreviate(text));
        }
        return new TelUri(number, lx.params("tel URI"));
    }

    @Override
    public String scheme() {
        return "tel";
    }

    public boolean isGlobal() {
        return number.startsWith("+");
    }

    /** The number without visual separators: "+1-201-555-0123" gives "+12015550123". */
    public String digits() {
        StringBuilder sb = new StringBuilder();
        for (char c : number.toCharArray()) {
            if (c == '+' || Character.isDigit(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "tel:" + number + params;
    }
}
