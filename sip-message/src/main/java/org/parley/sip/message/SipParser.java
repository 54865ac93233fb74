package org.parley.sip.message;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

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
    private static final Set<String> CHECKED_ADDRESS_LISTS = Set.of(HeaderNames.CONTACT, HeaderNames.ROUTE,
            HeaderNames.RECORD_ROUTE, HeaderNames.PATH);
    private static final List<String> REQUIRED = List.of(HeaderNames.VIA, HeaderNames.FROM, HeaderNames.TO,
            HeaderNames.CALL_ID, HeaderNames.CSEQ);

    private SipParser() {
    }

    /** Parses one whole message: the readable bytes of a datagram, or one frame of a stream. */
    public static SipMessage parse(ByteBuf buf, boolean datagram) {
        return validate(split(buf, datagram));
    }

    public static SipMessage parse(byte[] bytes) {
        return parse(io.netty.buffer.Unpooled.wrappedBuffer(bytes), true);
    }

    /**
     * Splits without judging the grammar. On a datagram a missing Content-Length means the body
     * runs to the end (§18.3) and octets after Content-Length are ignored (RFC 4475 §3.1.1.8);
     * a Content-Length larger than what is there is an error.
     */
    public static RawMessage split(ByteBuf buf, boolean datagram) {
        RawMessage head = splitHead(buf);
        List<Header> headers = head.headers();
        int end = buf.writerIndex();
        int bodyStart = headEnd(buf);
        int available = end - bodyStart;
        int length = available;
        String cl = null;
        for (Header h : headers) {
            if (h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                if (cl != null) {
                    throw new SipParseException("more than one Content-Length");
                }
                cl = h.value();
            }
        }
        if (cl != null) {
            length = (int) HeaderValues.boundedNumber(cl, Integer.MAX_VALUE, "Content-Length");
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
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        while (start < end && (buf.getByte(start) == '\r' || buf.getByte(start) == '\n')) {
            start++; // §7.5: CRLFs before the start line are ignored
        }
        int bodyStart = headEnd(buf);
        if (bodyStart < 0) {
            throw new SipParseException("message has no end of headers (empty line)");
        }
        int headerEnd = buf.getByte(bodyStart - 2) == '\n' ? bodyStart - 2 : bodyStart - 3;
        boolean ascii = buf.forEachByte(start, headerEnd - start, b -> b >= 0) < 0;
        int invalid = ascii ? -1 : firstInvalidUtf8(buf, start, headerEnd - start);
        // nearly every head is ASCII: read as Latin-1 (the same characters) it is copied once, with
        // no decoder and no buffer for it (issue 13 §3)
        List<String> lines = unfold(buf.toString(start, headerEnd - start,
                ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new SipParseException("missing start line");
        }
        List<Header> headers = new ArrayList<>(lines.size());
        // Noted, not thrown: the lines were read with replacement characters, so the request can be answered.
        String fault = invalid < 0 ? null : "invalid UTF-8 in " + lineOf(buf, start, invalid);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, trimmedEnd(line, colon)) : "";
            if (!Lexer.isToken(name)) {
                // noted, not thrown: the request can still be answered with the lines that are fine
                if (fault == null) {
                    fault = colon <= 0 ? "header line without a name and colon" : "bad header name: " + Uri.abbreviate(name);
                }
                continue;
            }
            headers.add(new Header(name, trimmed(line, colon + 1)));
        }
        return new RawMessage(lines.get(0), List.copyOf(headers), SipRequest.NO_BODY, fault);
    }

    /** The text of {@code line} from {@code from} on without white space around it, copied once. */
    private static String trimmed(String line, int from) {
        while (from < line.length() && Character.isWhitespace(line.charAt(from))) {
            from++;
        }
        return line.substring(from, Math.max(from, trimmedEnd(line, line.length())));
    }

    /** {@code end} moved back over white space (never before the start of the line). */
    private static int trimmedEnd(String line, int end) {
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /**
     * The index just past the empty line that ends the header section (CRLFs before the start
     * line skipped, §7.5), or -1 when there is none.
     */
    private static int headEnd(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        while (start < end && (buf.getByte(start) == '\r' || buf.getByte(start) == '\n')) {
            start++;
        }
        for (int i = start; i < end; i++) {
            if (buf.getByte(i) == '\n') {
                if (i + 1 < end && buf.getByte(i + 1) == '\n') {
                    return i + 2;
                }
                if (i + 2 < end && buf.getByte(i + 1) == '\r' && buf.getByte(i + 2) == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The index of the first octet that is not part of well-formed UTF-8 (RFC 3629), or -1. */
    private static int firstInvalidUtf8(ByteBuf buf, int index, int length) {
        ByteBuffer in = buf.nioBuffer(index, length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(Math.max(16, length));
        CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? index + in.position() : -1;
    }

    /** Names the header (or the start line) whose line, or a continuation of it, holds this octet. */
    private static String lineOf(ByteBuf buf, int start, int at) {
        int lineStart = at;
        while (true) {
            while (lineStart > start && buf.getByte(lineStart - 1) != '\n') {
                lineStart--;
            }
            byte first = buf.getByte(lineStart);
            if (lineStart == start || (first != ' ' && first != '\t')) {
                break;
            }
            lineStart--; // a folded continuation belongs to the line before
        }
        if (lineStart == start) {
            return "the start line";
        }
        int colon = buf.indexOf(lineStart, at, (byte) ':');
        String name = colon < 0 ? "" : buf.toString(lineStart, colon - lineStart, StandardCharsets.US_ASCII).strip();
        return Lexer.isToken(name) ? "the " + HeaderNames.canonical(name) + " header" : "a header line";
    }

    /** Splits at line ends (LF or CRLF) and joins continuation lines (§7.3.1: folding is LWS, one space). */
    private static List<String> unfold(String head) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= head.length()) {
            int lf = head.indexOf('\n', from);
            int end = lf < 0 ? head.length() : lf;
            String line = head.substring(from, lf > from && head.charAt(lf - 1) == '\r' ? lf - 1 : end);
            from = end + 1;
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (out.size() <= 1) {
                    throw new SipParseException(out.isEmpty() ? "message starts with white space" : "start line is folded");
                }
                int last = out.size() - 1;
                out.set(last, out.get(last).stripTrailing() + " " + line.strip());
            } else {
                out.add(line);
            }
        }
        return out;
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
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new SipParseException("malformed Request-Line (elements must be separated by one space)");
        }
        if (!Lexer.isToken(parts[0])) {
            throw new SipParseException("bad method name");
        }
        if (!parts[2].regionMatches(true, 0, "SIP/", 0, 4)) {
            throw new SipParseException("malformed Request-Line: no SIP version");
        }
        if (!parts[2].equalsIgnoreCase("SIP/2.0")) {
            throw new SipParseException(505, "SIP version not supported");
        }
        if (parts[1].startsWith("<")) {
            throw new SipParseException("Request-URI must not be enclosed in <>");
        }
        Uri uri = Uri.parse(parts[1]);
        if (uri instanceof SipUri sip && sip.headers() != null) {
            throw new SipParseException("Request-URI must not contain headers");
        }
        return new SipRequest(parts[0], uri, headers, body);
    }

    private static void checkCommon(SipMessage m, String requestMethod) {
        Headers h = m.headers();
        Set<String> seen = new HashSet<>();
        for (Header header : h.asList()) {
            if (HeaderNames.SINGLE.contains(header.name()) && !seen.add(header.name())) {
                throw new SipParseException("more than one " + header.name() + " header");
            }
        }
        for (String required : REQUIRED) {
            if (!h.has(required)) {
                throw new SipParseException("missing " + required + " header");
            }
        }
        named(HeaderNames.VIA, m::vias);
        named(HeaderNames.FROM, m::from);
        named(HeaderNames.TO, m::to);
        String callId = m.callId();
        if (callId.isEmpty() || hasSpaceOrControl(callId)) {
            throw new SipParseException("bad Call-ID");
        }
        CSeq cseq = named(HeaderNames.CSEQ, m::cseq);
        if (requestMethod != null && !cseq.method().equals(requestMethod)) {
            throw new SipParseException("CSeq method does not match the request method");
        }
        h.first(HeaderNames.MAX_FORWARDS).ifPresent(v -> HeaderValues.boundedNumber(v, 255, "Max-Forwards"));
        h.first(HeaderNames.EXPIRES).ifPresent(v -> HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires"));
        for (String name : CHECKED_ADDRESS_LISTS) {
            for (String line : h.lines(name)) {
                if (!(name.equals(HeaderNames.CONTACT) && line.equals("*"))) {
                    named(name, () -> Address.parseList(line));
                }
            }
        }
        h.asList().forEach(HeaderGrammar::check);
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

    /** Runs one header's check so that its fault, whatever the grammar helper said, names the header. */
    private static <T> T named(String header, Supplier<T> check) {
        try {
            return check.get();
        } catch (SipParseException e) {
            if (e.getMessage().contains(header)) {
                throw e;
            }
            throw new SipParseException(e.status(), "bad " + header + " header: " + e.getMessage());
        }
    }
}
