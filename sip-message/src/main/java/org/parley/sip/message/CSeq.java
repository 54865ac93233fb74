package org.parley.sip.message;

/** The CSeq header (RFC 3261 §20.16): a sequence number below 2^31 and a method. */
public record CSeq(long number, String method) {

    public static CSeq parse(String value) {
        Lexer lx = new Lexer(value);
        lx.skipWs();
        int digits = lx.position();
        lx.skipUntil(" \t");
        long number = HeaderValues.boundedNumber(value, digits, lx.position(), Integer.MAX_VALUE, "CSeq number");
        int name = lx.skipToken("CSeq method");
        String method = Lexer.method(value, name, lx.position());
        lx.skipWs();
        if (!lx.atEnd()) {
            throw new SipParseException("unexpected text in CSeq");
        }
        return new CSeq(number, method);
    }

    @Override
    public String toString() {
        return number + " " + method;
    }
}
