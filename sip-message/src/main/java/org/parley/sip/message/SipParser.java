package org.parley.sip.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SIP message parser (RFC 3261 §7, §25), strict where RFC 3261 and RFC 4475 say reject and
 * liberal where they say accept: line folding, compact forms, leading zeros, odd but legal
 * characters, unknown headers and schemes are accepted; broken grammar of the headers a SIP
 * element relies on (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length, Contact,
 * Route, Record-Route) is rejected with a reason that names the fault.
 *
 * <p>Parsing is two steps so that a malformed request can still be answered: {@link #split}
 * finds the start line, header lines and body; {@link #validate} checks the grammar.
 */
public final class SipParser {
    private static final String[] REQUIRED = {HeaderNames.VIA, HeaderNames.FROM, HeaderNames.TO,
        HeaderNames.CALL_ID, HeaderNames.CSEQ};

    private SipParser() {
    }

    /** Parses one whole message: the readable bytes of a datagram, or one frame of a stream. */
    public static SipMessage parse(ByteBuf buf, boolean datagram) {
        return validate(split(buf, datagram));
    }

    /**
     * Parses one whole datagram held in an array of its own, which becomes the message's: the
     * caller never writes to it again. Its head is then read where it stands rather than copied
     * (a UDP datagram is read into an array of its own, issue 13).
     */
    public static SipMessage parse(byte[] bytes) {
        return validate(split(Unpooled.wrappedBuffer(bytes), true, bytes));
    }

    /**
     * Splits without judging the grammar. On a datagram a missing Content-Length means the body
     * runs to the end (§18.3) and octets after Content-Length are ignored (RFC 4475 §3.1.1.8);
     * a Content-Length larger than what is there is an error.
     */
    public static RawMessage split(ByteBuf buf, boolean datagram) {
        return split(buf, datagram, null);
    }

    /** {@link #split(ByteBuf, boolean)}; {@code owned} is the array {@code buf} wraps from its start, handed over, or null. */
    private static RawMessage split(ByteBuf buf, boolean datagram, byte[] owned) {
        int bodyStart = headEnd(buf);
        RawMessage head = splitHead(buf, bodyStart, owned);
        List<Header> headers = head.headers();
        int end = buf.writerIndex();
        int available = end - bodyStart;
        int length = available;
        Header cl = null;
        for (int i = 0; i < headers.size(); i++) { // by index: no iterator for every message
            Header h = headers.get(i);
            if (h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                if (cl != null) {
                    throw new SipParseException("more than one Content-Length");
                }
                cl = h;
            }
        }
        if (cl != null) {
            length = (int) cl.number(Integer.MAX_VALUE, "Content-Length");
            if (length > available) {
                throw new SipParseException("Content-Length larger than the message");
            }
        } else if (!datagram) {
            length = 0;
        }
        byte[] body = new byte[length];
        buf.getBytes(bodyStart, body);
        return new RawMessage(head.startLine(), headers, body, head.fault());
    }

    /**
     * The start line and header lines alone, body and Content-Length left unchecked: enough for
     * a stream transport to learn how long the message is, and to answer a request whose
     * Content-Length is wrong (RFC 4475 §3.1.2.2, §3.1.2.3, §3.3.9), which {@link #split} refuses.
     */
    public static RawMessage splitHead(ByteBuf buf) {
        return splitHead(buf, headEnd(buf), null);
    }

    private static RawMessage splitHead(ByteBuf buf, int bodyStart, byte[] owned) {
        int start = firstLine(buf);
        if (bodyStart < 0) {
            throw new SipParseException("message has no end of headers (empty line)");
        }
        int headerEnd = buf.getByte(bodyStart - 2) == '\n' ? bodyStart - 2 : bodyStart - 3;
        // the lines keep a datagram's own array, unless its body is the larger part: they must
        // never hold more than twice what a copy of the head would
        if (owned != null && buf.writerIndex() - bodyStart <= headerEnd - start) {
            return splitHead(owned, start, headerEnd);
        }
        // else the head is copied once
        byte[] head = new byte[headerEnd - start];
        buf.getBytes(start, head);
        return splitHead(head, 0, head.length);
    }

    /**
     * The start line and header lines of {@code head[start, end)}. Each header's value stays where
     * it stands until read (Header), and the lines are found on the octets: LF, colon and white
     * space are ASCII, never part of a UTF-8 sequence (issue 13).
     */
    private static RawMessage splitHead(byte[] head, int start, int end) {
        boolean utf8 = !isAscii(head, start, end);
        int invalid = utf8 ? firstInvalidUtf8(head, start, end) : -1;
        if (end > start && isWs(head[start])) {
            throw new SipParseException("message starts with white space");
        }
        int startLineEnd = lineEnd(head, start, end);
        String startLine = text(head, start, contentEnd(head, startLineEnd, start, end), utf8);
        if (startLine.isEmpty()) {
            throw new SipParseException("missing start line");
        }
        if (startLineEnd + 1 < end && isWs(head[startLineEnd + 1])) {
            throw new SipParseException("start line is folded");
        }
        HeaderLines headers = new HeaderLines();
        // Noted, not thrown: the lines were read with replacement characters, so the request can be answered.
        String fault = invalid < 0 ? null : "invalid UTF-8 in " + lineOf(head, invalid, start);
        int from = startLineEnd + 1;
        while (from <= end) {
            int lf = lineEnd(head, from, end);
            int lineStart = from;
            int lineEnd = contentEnd(head, lf, start, end);
            String folded = null;
            // only a folded line (§7.3.1) is joined into a text of its own
            while (lf + 1 < end && isWs(head[lf + 1])) {
                if (folded == null) {
                    folded = text(head, lineStart, lineEnd, utf8);
                }
                int next = lineEnd(head, lf + 1, end);
                folded = folded.stripTrailing() + " " + text(head, lf + 1, contentEnd(head, next, start, end), utf8).strip();
                lf = next;
            }
            from = lf + 1;
            String nameFault = folded == null ? addLine(head, lineStart, lineEnd, utf8, headers) : addFolded(folded, headers);
            // noted, not thrown: the request can still be answered with the lines that are fine
            if (fault == null) {
                fault = nameFault;
            }
        }
        return new RawMessage(startLine, headers, SipRequest.NO_BODY, fault);
    }

    /** Adds the line {@code head[lineStart, lineEnd)}, its value left where it stands; the fault of its name, or null. */
    private static String addLine(byte[] head, int lineStart, int lineEnd, boolean utf8, HeaderLines headers) {
        int colon = lineStart;
        while (colon < lineEnd && head[colon] != ':') {
            colon++;
        }
        if (colon == lineEnd) {
            colon = -1;
        }
        int nameEnd = colon > lineStart ? trimmedEnd(head, lineStart, colon) : lineStart;
        if (!isToken(head, lineStart, nameEnd)) {
            return nameFault(text(head, lineStart, nameEnd, utf8), colon <= lineStart);
        }
        int valueStart = colon + 1;
        while (valueStart < lineEnd && isWhitespace(head[valueStart])) {
            valueStart++;
        }
        int valueEnd = Math.max(valueStart, trimmedEnd(head, valueStart, lineEnd));
        String name = HeaderNames.canonical(head, lineStart, nameEnd);
        headers.addLine(utf8 ? new Header(name, text(head, valueStart, valueEnd, true)) : new Header(name, head, valueStart, valueEnd));
        return null;
    }

    /** Adds a line joined from folded ones; the fault of its name, or null. */
    private static String addFolded(String text, HeaderLines headers) {
        int colon = text.indexOf(':');
        int nameEnd = colon > 0 ? colon : 0;
        while (nameEnd > 0 && Character.isWhitespace(text.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        String name = text.substring(0, nameEnd);
        if (!Lexer.isToken(name)) {
            return nameFault(name, colon <= 0);
        }
        headers.addLine(new Header(name, text.substring(colon + 1).strip()));
        return null;
    }

    private static String nameFault(String name, boolean noColon) {
        return noColon ? "header line without a name and colon" : "bad header name: " + Uri.abbreviate(name);
    }

    private static String text(byte[] head, int start, int end, boolean utf8) {
        return new String(head, start, end - start, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static boolean isToken(byte[] head, int start, int end) {
        if (start == end) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (head[i] < 0 || !Lexer.isTokenChar((char) head[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWs(byte c) {
        return c == ' ' || c == '\t';
    }

    /**
     * What {@link Character#isWhitespace} says of an octet — space, HT, LF, VT, FF, CR and the four
     * separators 0x1C to 0x1F — by ranges rather than a character table look-up: it runs at both
     * ends of every line. No octet of a UTF-8 sequence is white space.
     */
    private static boolean isWhitespace(byte c) {
        return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F;
    }

    /**
     * The index of the LF that ends the line starting at {@code from}, or {@code end}, the end of the head.
     * Every octet of every head is searched, so eight at a time: after the exclusive or an LF is a
     * zero octet, and the lowest octet the classic "has a zero byte" test flags is always a real one.
     */
    private static int lineEnd(byte[] head, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long x = (long) OCTETS.get(head, i) ^ LFS;
            long zero = (x - ONES) & ~x & HIGH_BITS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (head[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** Eight octets of an array as one long, the first the lowest. */
    private static final VarHandle OCTETS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** The end of a line's content in the head {@code [start, end)}: before the CR of its CRLF. */
    private static int contentEnd(byte[] head, int lineEnd, int start, int end) {
        return lineEnd < end && lineEnd > start && head[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    /** {@code end} moved back over white space (never before {@code start}). */
    private static int trimmedEnd(byte[] head, int start, int end) {
        while (end > start && isWhitespace(head[end - 1])) {
            end--;
        }
        return end;
    }

    /**
     * The index just past the empty line that ends the header section (CRLFs before the start
     * line skipped, §7.5), or -1 when there is none.
     */
    private static int headEnd(ByteBuf buf) {
        int end = buf.writerIndex();
        int from = firstLine(buf);
        if (buf.hasArray()) {
            return headEnd(buf.array(), buf.arrayOffset(), from, end);
        }
        while (true) {
            // Netty's search reads eight octets at a time: this runs over every message received
            int lf = buf.indexOf(from, end, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            if (lf + 1 < end && buf.getByte(lf + 1) == '\n') {
                return lf + 2;
            }
            if (lf + 2 < end && buf.getByte(lf + 1) == '\r' && buf.getByte(lf + 2) == '\n') {
                return lf + 3;
            }
            from = lf + 1;
        }
    }

    /**
     * {@link #headEnd(ByteBuf)} of a buffer on an array (every datagram), {@code offset} where the
     * buffer starts in it: the LFs are found eight octets at a time, as the lines are, rather than by
     * a search started over for each line.
     */
    private static int headEnd(byte[] array, int offset, int from, int end) {
        int last = offset + end;
        for (int lf = lineEnd(array, offset + from, last); lf < last; lf = lineEnd(array, lf + 1, last)) {
            if (lf + 1 < last && array[lf + 1] == '\n') {
                return lf + 2 - offset;
            }
            if (lf + 2 < last && array[lf + 1] == '\r' && array[lf + 2] == '\n') {
                return lf + 3 - offset;
            }
        }
        return -1;
    }

    /** Where the start line begins: CRLFs before it are ignored (§7.5). */
    private static int firstLine(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        while (start < end && (buf.getByte(start) == '\r' || buf.getByte(start) == '\n')) {
            start++;
        }
        return start;
    }

    /** True when no octet of {@code head[start, end)} has its high bit set; eight octets at a time. */
    private static boolean isAscii(byte[] head, int start, int end) {
        int i = start;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (((long) OCTETS.get(head, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (head[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first octet of {@code head[start, end)} that is not part of well-formed UTF-8 (RFC 3629), or -1. */
    private static int firstInvalidUtf8(byte[] head, int start, int end) {
        ByteBuffer in = ByteBuffer.wrap(head, start, end - start);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(Math.max(16, end - start));
        CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : -1;
    }

    /** Names the header (or the start line) whose line, or a continuation of it, holds this octet of the head starting at {@code start}. */
    private static String lineOf(byte[] head, int at, int start) {
        int lineStart = at;
        while (true) {
            while (lineStart > start && head[lineStart - 1] != '\n') {
                lineStart--;
            }
            if (lineStart == start || !isWs(head[lineStart])) {
                break;
            }
            lineStart--; // a folded continuation belongs to the line before
        }
        if (lineStart == start) {
            return "the start line";
        }
        int colon = lineStart;
        while (colon < at && head[colon] != ':') {
            colon++;
        }
        String name = colon == at ? "" : new String(head, lineStart, colon - lineStart, StandardCharsets.ISO_8859_1).strip();
        return Lexer.isToken(name) ? "the " + HeaderNames.canonical(name) + " header" : "a header line";
    }

    /** Checks the grammar and builds the message. */
    public static SipMessage validate(RawMessage raw) {
        if (raw.fault() != null) {
            throw new SipParseException(raw.fault());
        }
        Headers headers = Headers.of(raw.headers());
        if (raw.isResponse()) {
            SipResponse response = parseStatusLine(raw.startLine(), headers, raw.body());
            checkCommon(response, null);
            return response;
        }
        SipRequest request = parseRequestLine(raw.startLine(), headers, raw.body());
        checkCommon(request, request.method());
        return request;
    }

    private static SipResponse parseStatusLine(String line, Headers headers, byte[] body) {
        int sp1 = line.indexOf(' ');
        if (sp1 < 0) {
            throw new SipParseException("bad status line");
        }
        if (!line.substring(0, sp1).equalsIgnoreCase("SIP/2.0")) {
            throw new SipParseException(505, "SIP version not supported");
        }
        int sp2 = line.indexOf(' ', sp1 + 1);
        String code = sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
        if (code.length() != 3 || !isDigit(code.charAt(0)) || !isDigit(code.charAt(1)) || !isDigit(code.charAt(2))) {
            throw new SipParseException("bad status code");
        }
        int status = Integer.parseInt(code);
        if (status < 100 || status > 699) {
            throw new SipParseException("status code out of range");
        }
        String reason = sp2 < 0 ? "" : line.substring(sp2 + 1);
        return new SipResponse(status, reason, headers, body);
    }

    private static SipRequest parseRequestLine(String line, Headers headers, byte[] body) {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || sp2 == line.length() - 1 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new SipParseException("malformed Request-Line (elements must be separated by one space)");
        }
        String method = Lexer.method(line, 0, sp1);
        if (!Lexer.isToken(method)) {
            throw new SipParseException("bad method name");
        }
        if (!line.regionMatches(true, sp2 + 1, "SIP/", 0, 4)) {
            throw new SipParseException("malformed Request-Line: no SIP version");
        }
        if (line.length() - sp2 - 1 != 7 || !line.regionMatches(true, sp2 + 1, "SIP/2.0", 0, 7)) {
            throw new SipParseException(505, "SIP version not supported");
        }
        if (line.charAt(sp1 + 1) == '<') {
            throw new SipParseException("Request-URI must not be enclosed in <>");
        }
        Uri uri = Uri.parse(line, sp1 + 1, sp2);
        if (uri instanceof SipUri sip && sip.headers() != null) {
            throw new SipParseException("Request-URI must not contain headers");
        }
        return new SipRequest(method, uri, headers, body);
    }

    private static void checkCommon(SipMessage m, String requestMethod) {
        Headers h = m.headers();
        // one walk over the lines, names compared by identity (every line's name is canonical): a
        // single header twice is the first fault in line order (RFC 4475 §3.3.8), then a missing
        // required one; no lookup per required header, Max-Forwards and Expires found on the way
        int seen = 0;
        Header maxForwards = null;
        Header expires = null;
        for (int i = 0; i < h.size(); i++) {
            Header line = h.get(i);
            int bit = countedBit(line.name());
            if ((seen & bit & SINGLE_BITS) != 0) {
                throw new SipParseException("more than one " + line.name() + " header");
            }
            seen |= bit;
            if (line.name() == HeaderNames.MAX_FORWARDS) {
                maxForwards = line;
            } else if (line.name() == HeaderNames.EXPIRES) {
                expires = line;
            }
        }
        for (int k = 0; (seen & REQUIRED_BITS) != REQUIRED_BITS; k++) {
            if ((seen & countedBit(REQUIRED[k])) == 0) {
                throw new SipParseException("missing " + REQUIRED[k] + " header");
            }
        }
        try {
            m.vias();
        } catch (SipParseException e) {
            throw named(HeaderNames.VIA, e);
        }
        try {
            m.from();
        } catch (SipParseException e) {
            throw named(HeaderNames.FROM, e);
        }
        try {
            m.to();
        } catch (SipParseException e) {
            throw named(HeaderNames.TO, e);
        }
        String callId = m.callId();
        if (callId.isEmpty() || hasSpaceOrControl(callId)) {
            throw new SipParseException("bad Call-ID");
        }
        CSeq cseq;
        try {
            cseq = m.cseq();
        } catch (SipParseException e) {
            throw named(HeaderNames.CSEQ, e);
        }
        if (requestMethod != null && !cseq.method().equals(requestMethod)) {
            throw new SipParseException("CSeq method does not match the request method");
        }
        if (maxForwards != null) {
            maxForwards.number(255, "Max-Forwards");
        }
        if (expires != null) {
            expires.number(0xFFFFFFFFL, "Expires");
        }
        try {
            h.contacts(); // kept parsed: the registrar reads them again
        } catch (SipParseException e) {
            throw named(HeaderNames.CONTACT, e);
        }
        for (int i = 0; i < h.size(); i++) {
            Header header = h.get(i);
            if (isCheckedRouteList(header.name())) {
                try {
                    Address.parseList(header.value());
                } catch (SipParseException e) {
                    throw named(header.name(), e);
                }
            }
        }
        for (int i = 0; i < h.size(); i++) {
            HeaderGrammar.check(h.get(i));
        }
    }

    /** The names {@link #checkCommon} counts: the required ones and those allowed once. */
    private static final String[] COUNTED = {HeaderNames.VIA, HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID,
        HeaderNames.CSEQ, HeaderNames.MAX_FORWARDS, HeaderNames.CONTENT_LENGTH, HeaderNames.CONTENT_TYPE,
        HeaderNames.EXPIRES, HeaderNames.MIN_EXPIRES};
    /** The bits of {@link #COUNTED}'s names that {@link HeaderNames#isSingle} says appear once at most. */
    private static final int SINGLE_BITS;
    /** The bits of {@link #REQUIRED}'s names. */
    private static final int REQUIRED_BITS;

    static {
        int single = 0;
        for (int k = 0; k < COUNTED.length; k++) {
            single |= HeaderNames.isSingle(COUNTED[k]) ? 1 << k : 0;
        }
        SINGLE_BITS = single;
        int required = 0;
        for (String name : REQUIRED) {
            required |= countedBit(name);
        }
        REQUIRED_BITS = required;
    }

    /** The bit of a canonical name among {@link #COUNTED}, by identity; 0 for the others. */
    private static int countedBit(String canonicalName) {
        for (int k = 0; k < COUNTED.length; k++) {
            if (COUNTED[k] == canonicalName) {
                return 1 << k;
            }
        }
        return 0;
    }

    /**
     * The address lists checked here besides Contact (Route, Record-Route, Path); by identity, as
     * every line's name is canonical, so that each line of every message costs no hash lookup.
     */
    private static boolean isCheckedRouteList(String canonicalName) {
        return canonicalName == HeaderNames.ROUTE || canonicalName == HeaderNames.RECORD_ROUTE
                || canonicalName == HeaderNames.PATH;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean hasSpaceOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') {
                return true;
            }
        }
        return false;
    }

    /** The fault of one header's check, its reason naming the header whatever the grammar helper said. */
    private static SipParseException named(String header, SipParseException e) {
        if (e.getMessage().contains(header)) {
            return e;
        }
        return new SipParseException(e.status(), "bad " + header + " header: " + e.getMessage());
    }
}
