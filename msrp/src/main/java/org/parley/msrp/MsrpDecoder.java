package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames and parses MSRP (RFC 4975 §9) from a byte stream, a chunk at a time, into
 * {@link MsrpRequest}s, {@link MsrpResponse}s and {@link MalformedMsrp}s.
 *
 * <p>The end-line {@code -------<transaction-id>[$+#]} is the only frame boundary MSRP has, so
 * a message that is wrong but whose transaction id is known is skipped up to its end-line and
 * reported as {@link MalformedMsrp}: the connection survives. A stream that does not even start
 * like MSRP cannot be resynchronised; it is closed with one log line.
 */
public final class MsrpDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(MsrpDecoder.class);
    /** token characters of a header name (§9), besides letters and digits */
    private static final String HEADER_NAME_SYMBOLS = "!#$%&'*+.^_`|~-";
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String END_LINE_DASHES = "-------";
    /** The most {@link #indexOf(ByteBuf, int, byte[])} copies out of the buffer at a time. */
    private static final int MAX_WINDOW = 16 * 1024;
    /** Fields of a relayed request whose lines are kept to be recognised in the next one: the usual seven and one more. */
    private static final int REMEMBERED_FIELDS = 8;
    /** Longer lines are taken apart each time: a connection keeps under 4 KiB of lines. */
    private static final int MAX_REMEMBERED_LINE = 480;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Header names as usually spelled: taken as these constants, not as new strings, when a field is spelled so. */
    private static final List<String> USUAL_NAMES = List.of(MsrpMessage.TO_PATH, MsrpMessage.FROM_PATH,
            MsrpMessage.MESSAGE_ID, MsrpMessage.BYTE_RANGE, MsrpMessage.SUCCESS_REPORT, MsrpMessage.FAILURE_REPORT,
            MsrpMessage.CONTENT_TYPE, MsrpMessage.STATUS);

    private enum State { START, HEADERS, BODY, DISCARD, CLOSED }

    private final MsrpLimits limits;
    private final boolean keepBytes;
    private State state = State.START;
    private String transactionId;
    private String method;
    private int status;
    private String comment;
    private final List<MsrpHeader> headers = new ArrayList<>();
    private int headerBytes;
    /**
     * Bytes of the message under way read so far, from the reader index: nothing is consumed
     * until the message ends, so that a relay can take all of it as one slice.
     */
    private int parsed;
    /** Where the field after From-Path starts, from the reader index. */
    private int pathsEnd;
    /** Where the body starts, from the reader index. */
    private int bodyStart;
    /** {@code CRLF -------<transaction-id>}: what ends the body. */
    private byte[] boundary;
    /** Bytes of the body already searched for the end-line without finding it. */
    private int bodyScanned;
    /** The body length a SEND's Byte-Range states, -1 when it states none: where the end-line must be. */
    private int statedLength;
    /** The answer owed once the message being discarded ends; null when it was given already. */
    private MalformedMsrp owed;
    /** One line at a time is copied here to be read as text. */
    private byte[] line = new byte[256];
    /** What {@link #indexOf(ByteBuf, int, byte[])} searches, copied out of the buffer. */
    private byte[] scan = new byte[256];
    /** Per field position of the last relayed request: the field, its line and the line's length ({@link #repeated}). */
    private MsrpHeader[] lastFields;
    private byte[][] lastLines;
    private int[] lastLengths;

    /** A decoder whose requests carry their bodies as arrays (an endpoint's sessions keep them). */
    public MsrpDecoder(MsrpLimits limits) {
        this(limits, false);
    }

    /**
     * @param keepBytes SEND and REPORT come out as {@link WireRequest}s, their bytes left in the
     *                  read buffer: what a relay passes on (the relay's connections)
     */
    public MsrpDecoder(MsrpLimits limits, boolean keepBytes) {
        this.limits = limits;
        this.keepBytes = keepBytes;
        if (keepBytes) {
            // A read that ends inside a message is joined to the next one. Merging copies the next read
            // whole into the first (which the slices of the messages already passed on keep shared): at
            // 64 KiB messages nearly every byte the relay carried was copied once more on its way. Joined
            // as components, the reads stay where the socket put them.
            setCumulator(COMPOSITE_CUMULATOR);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // Netty calls again only after progress in bytes or output; a change of state or a line read is progress too.
        while (true) {
            State before = state;
            int readable = in.readableBytes();
            int readBefore = parsed;
            int produced = out.size();
            step(ctx, in, out);
            if (state == State.CLOSED || !in.isReadable() || state == before && readable == in.readableBytes()
                    && readBefore == parsed && produced == out.size()) {
                return;
            }
        }
    }

    private void step(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case START -> startLine(ctx, in);
            case HEADERS -> headerLine(in, out);
            case BODY -> body(in, out);
            case DISCARD -> discard(in, out);
            case CLOSED -> in.skipBytes(in.readableBytes());
        }
    }

    private void startLine(ChannelHandlerContext ctx, ByteBuf in) {
        int eol = lineEnd(in, in.readerIndex());
        if (eol < 0 && in.readableBytes() <= limits.maxHeaderBytes()) {
            return;
        }
        if (eol < 0 || eol - in.readerIndex() > limits.maxHeaderBytes()) {
            fatal(ctx, in, "no start line within " + limits.maxHeaderBytes() + " bytes");
            return;
        }
        int length = eol - in.readerIndex();
        if (length == 0) {
            in.skipBytes(2);
            return; // a CRLF between messages, as keep-alive traffic sometimes leaves, is no message
        }
        byte[] raw = copyLine(in, in.readerIndex(), length);
        Optional<String> text = utf8(raw, length);
        StartLine m = text.map(StartLine::parse).orElse(null);
        String tid = m != null ? m.transactionId() : asciiTransactionId(raw, length);
        if (tid == null || !MsrpSyntax.ident(tid)) {
            fatal(ctx, in, "not an MSRP start line");
            return;
        }
        begin(tid, length + 2);
        if (m == null) {
            // The id is known, so the message can be skipped to its end-line and answered (§7.2).
            skip(in, new MalformedMsrp(tid, true, 400, text.isEmpty() ? "start line is not UTF-8"
                    : "malformed start line", List.of()));
            return;
        }
        if (m.method() == null) {
            status = m.status();
            comment = m.comment();
        } else {
            method = m.method();
        }
        state = State.HEADERS;
    }

    /**
     * {@code MSRP SP transact-id SP (method | status-code [SP comment])} (§9), read by hand: every
     * chunk starts with one, and the regular expression it replaces was the decoder's largest cost.
     *
     * @param method null for a response
     */
    private record StartLine(String transactionId, String method, int status, String comment) {
        static StartLine parse(String line) {
            if (!line.startsWith("MSRP ")) {
                return null;
            }
            int space = 5;
            while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
                space++;
            }
            if (space == 5 || space >= line.length() - 1 || line.charAt(space) != ' ') {
                return null;
            }
            String tid = line.substring(5, space);
            String rest = line.substring(space + 1);
            if (upperCaseWord(rest)) {
                return new StartLine(tid, knownMethod(rest), 0, null);
            }
            boolean code = rest.length() >= 3 && digit(rest.charAt(0)) && digit(rest.charAt(1)) && digit(rest.charAt(2));
            if (!code || rest.length() > 3 && (rest.charAt(3) != ' ' || lineBreakIn(rest))) {
                return null;
            }
            return new StartLine(tid, null, Integer.parseInt(rest.substring(0, 3)),
                    rest.length() > 3 ? rest.substring(4) : "");
        }

        /** The constants for the methods every chunk has, so that comparing them is cheap. */
        private static String knownMethod(String m) {
            return switch (m) {
                case MsrpRequest.SEND -> MsrpRequest.SEND;
                case MsrpRequest.REPORT -> MsrpRequest.REPORT;
                case MsrpRequest.AUTH -> MsrpRequest.AUTH;
                default -> m;
            };
        }

        private static boolean upperCaseWord(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < 'A' || s.charAt(i) > 'Z') {
                    return false;
                }
            }
            return true;
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }

        /** What a comment (text up to the end of the line) cannot hold. */
        private static boolean lineBreakIn(String s) {
            return s.chars().anyMatch(c -> c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029');
        }
    }

    /** The transaction id of a start line that is otherwise wrong: the second space-separated ASCII word. */
    private static String asciiTransactionId(byte[] raw, int length) {
        String s = new String(raw, 0, length, StandardCharsets.ISO_8859_1);
        if (!s.startsWith("MSRP ")) {
            return null;
        }
        String[] words = s.split(" ", 3);
        return words.length >= 2 ? words[1] : null;
    }

    private void begin(String tid, int startLineBytes) {
        transactionId = tid;
        method = null;
        status = 0;
        comment = null;
        headers.clear();
        headerBytes = startLineBytes;
        parsed = startLineBytes;
        pathsEnd = -1;
        bodyStart = -1;
        boundary = null;
        bodyScanned = 0;
        statedLength = -1;
        owed = null;
    }

    private void headerLine(ByteBuf in, List<Object> out) {
        int from = in.readerIndex() + parsed;
        int eol = lineEnd(in, from);
        int budget = limits.maxHeaderBytes() - headerBytes;
        if (eol < 0) {
            if (in.writerIndex() - from > budget) {
                skip(in, malformed(400, "header fields larger than " + limits.maxHeaderBytes() + " bytes"));
            }
            return;
        }
        int length = eol - from;
        if (length + 2 > budget) {
            skip(in, malformed(400, "header fields larger than " + limits.maxHeaderBytes() + " bytes"));
            return;
        }
        parsed += length + 2;
        headerBytes += length + 2;
        if (length == 0) {
            state = State.BODY; // the extra CRLF of content-stuff (§9): the body follows
            bodyStart = parsed;
            return;
        }
        byte[] raw = copyLine(in, from, length);
        if (startsWith(raw, length, END_LINE_DASHES)) {
            endWithoutBody(in, raw, length, out);
            return;
        }
        MsrpHeader repeated = repeated(raw, length);
        if (repeated != null) {
            headers.add(repeated);
        } else {
            int colon = indexOf(raw, length, (byte) ':');
            if (colon <= 0 || !headerName(raw, colon)) {
                skip(in, malformed(400, "malformed header field"));
                return;
            }
            if (ascii(raw, length)) {
                // what MSRP header lines nearly always are: taken apart as bytes, no decoder needed
                headers.add(new MsrpHeader(name(raw, colon), stripped(raw, colon + 1, length)));
            } else {
                Optional<String> text = utf8(raw, length);
                if (text.isEmpty()) {
                    skip(in, malformed(400, "header field is not UTF-8"));
                    return;
                }
                headers.add(new MsrpHeader(text.get().substring(0, colon), text.get().substring(colon + 1).strip()));
            }
            remember(raw, length);
        }
        if (headers.size() == 2) {
            pathsEnd = parsed;
        }
    }

    /**
     * The field read at this position of the last SEND or REPORT on this connection, when this line
     * is the same bytes: every chunk of a session repeats its paths, reports and Content-Type, and
     * the chunks of one message their Message-ID, so the relay takes them as they were taken apart
     * before instead of making new strings of them (the header values were most of what it
     * allocated per chunk). Equal bytes parse alike, so nothing is checked that was not before.
     */
    private MsrpHeader repeated(byte[] raw, int length) {
        int i = headers.size();
        if (lastFields == null || i >= REMEMBERED_FIELDS || lastFields[i] == null || !relayed()) {
            return null;
        }
        return Arrays.equals(raw, 0, length, lastLines[i], 0, lastLengths[i]) ? lastFields[i] : null;
    }

    /** Keeps the field just read and its line for {@link #repeated}: the relay's SENDs and REPORTs, short lines only. */
    private void remember(byte[] raw, int length) {
        int i = headers.size() - 1;
        if (!keepBytes || i >= REMEMBERED_FIELDS || length > MAX_REMEMBERED_LINE || !relayed()) {
            return;
        }
        if (lastFields == null) {
            lastFields = new MsrpHeader[REMEMBERED_FIELDS];
            lastLines = new byte[REMEMBERED_FIELDS][];
            lastLengths = new int[REMEMBERED_FIELDS];
        }
        if (lastLines[i] == null || lastLines[i].length < length) {
            lastLines[i] = new byte[Math.max(length, 64)];
        }
        System.arraycopy(raw, 0, lastLines[i], 0, length);
        lastLengths[i] = length;
        lastFields[i] = headers.get(i);
    }

    /** A request the relay passes on (an AUTH's fields, each connection's first, are not worth keeping). */
    private boolean relayed() {
        return MsrpRequest.SEND.equals(method) || MsrpRequest.REPORT.equals(method);
    }

    /** The name of a field: a constant when it is spelled as usual. */
    private static String name(byte[] raw, int length) {
        for (String usual : USUAL_NAMES) {
            if (usual.length() == length && startsWith(raw, length, usual)) {
                return usual;
            }
        }
        return new String(raw, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** ASCII text between {@code from} and {@code to} without the white space around it, as {@link String#strip()}. */
    private static String stripped(byte[] raw, int from, int to) {
        while (from < to && Character.isWhitespace(raw[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(raw[to - 1])) {
            to--;
        }
        return new String(raw, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The first {@code length} bytes are a token (§9); a loop, as every header line of every chunk passes here. */
    private static boolean headerName(byte[] raw, int length) {
        for (int i = 0; i < length; i++) {
            char c = (char) raw[i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || HEADER_NAME_SYMBOLS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private void endWithoutBody(ByteBuf in, byte[] raw, int length, List<Object> out) {
        String expected = END_LINE_DASHES + transactionId;
        if (length != expected.length() + 1 || !startsWith(raw, length, expected) || "$+#".indexOf(raw[length - 1]) < 0) {
            // Not our end-line, but certainly the end of something: take it as this message's end.
            consume(in);
            finish(malformed(400, "wrong end-line"), out);
            return;
        }
        complete(in, -1, parsed - length - 2, (char) raw[length - 1], out);
    }

    private void body(ByteBuf in, List<Object> out) {
        if (boundary == null) {
            boundary = ("\r\n" + END_LINE_DASHES + transactionId).getBytes(StandardCharsets.US_ASCII);
            statedLength = statedLength();
        }
        int start = in.readerIndex() + bodyStart;
        if (statedLength >= 0 && endLineAt(in, start + statedLength)) {
            // The sender must keep the end-line out of the body (RFC 4975 §7.1), so a body that ends where
            // its Byte-Range says, at an end-line, is the body: looked at there, not searched for.
            int flagAt = start + statedLength + boundary.length;
            parsed = flagAt + 3 - in.readerIndex();
            complete(in, statedLength, start + statedLength + 2 - in.readerIndex(), (char) in.getByte(flagAt), out);
            return;
        }
        int found = indexOf(in, start + bodyScanned, boundary);
        if (found < 0) {
            bodyScanned = Math.max(0, in.writerIndex() - start - boundary.length + 1);
            if (bodyScanned > limits.maxChunkBytes()) {
                MalformedMsrp tooLarge = malformed(413, "chunk larger than " + limits.maxChunkBytes() + " bytes");
                out.add(tooLarge); // answered now, so that the sender stops (§7.3, 413)
                skip(in, null);
            }
            return;
        }
        int bodyLength = found - start;
        if (bodyLength > limits.maxChunkBytes()) {
            in.skipBytes(found + boundary.length - in.readerIndex());
            parsed = 0;
            state = State.DISCARD;
            owed = malformed(413, "chunk larger than " + limits.maxChunkBytes() + " bytes");
            discardFlag(in, out);
            return;
        }
        int flagAt = found + boundary.length;
        if (in.writerIndex() < flagAt + 3) {
            bodyScanned = bodyLength; // wait for the flag and CRLF
            return;
        }
        byte flag = in.getByte(flagAt);
        if ("$+#".indexOf(flag) < 0 || in.getByte(flagAt + 1) != '\r' || in.getByte(flagAt + 2) != '\n') {
            // The transaction id followed by something else is content that merely looks like an end-line.
            bodyScanned = bodyLength + 1;
            body(in, out);
            return;
        }
        parsed = flagAt + 3 - in.readerIndex();
        complete(in, bodyLength, found + 2 - in.readerIndex(), (char) flag, out);
    }

    /** The body length a SEND's Byte-Range gives ({@code start-end/total} with a known end, within the chunk limit), else -1. */
    private int statedLength() {
        if (!MsrpRequest.SEND.equals(method)) {
            return -1;
        }
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(MsrpMessage.BYTE_RANGE)) {
                return ByteRange.parse(headers.get(i).value()).filter(r -> r.end() != ByteRange.UNKNOWN)
                        .map(r -> r.end() - r.start() + 1).filter(n -> n <= limits.maxChunkBytes())
                        .map(Long::intValue).orElse(-1);
            }
        }
        return -1;
    }

    /** Whether the whole end-line of this message, flag and CRLF included, is in the buffer at {@code at}. */
    private boolean endLineAt(ByteBuf in, int at) {
        int n = boundary.length + 3;
        if (in.writerIndex() - at < n) {
            return false;
        }
        in.getBytes(at, scan, 0, n); // one bulk copy: byte-wise reads of a direct buffer are slow (see indexOf)
        for (int i = 0; i < boundary.length; i++) {
            if (scan[i] != boundary[i]) {
                return false;
            }
        }
        return "$+#".indexOf(scan[boundary.length]) >= 0 && scan[n - 2] == '\r' && scan[n - 1] == '\n';
    }

    /** After an oversized body's boundary: the flag and CRLF, then the next message. */
    private void discardFlag(ByteBuf in, List<Object> out) {
        if (in.readableBytes() >= 3) {
            in.skipBytes(3);
            finish(owed, out);
        }
    }

    /** Skips to the end-line of the current transaction, then emits what is owed (if anything). */
    private void discard(ByteBuf in, List<Object> out) {
        byte[] endLine = (END_LINE_DASHES + transactionId).getBytes(StandardCharsets.US_ASCII);
        int found = indexOf(in, in.readerIndex(), endLine);
        while (found >= 0) {
            int flagAt = found + endLine.length;
            boolean atLineStart = found == in.readerIndex() || in.getByte(found - 1) == '\n';
            if (atLineStart && in.writerIndex() < flagAt + 3) {
                in.readerIndex(found); // keep the candidate until its flag arrives
                return;
            }
            if (atLineStart && "$+#".indexOf(in.getByte(flagAt)) >= 0 && in.getByte(flagAt + 1) == '\r'
                    && in.getByte(flagAt + 2) == '\n') {
                in.readerIndex(flagAt + 3);
                finish(owed, out);
                return;
            }
            found = indexOf(in, found + 1, endLine);
        }
        // Nothing found: drop all but a tail that may hold the start of the end-line.
        int keep = Math.min(in.readableBytes(), endLine.length + 1);
        in.skipBytes(in.readableBytes() - keep);
    }

    /**
     * The message read whole ({@link #parsed} bytes from the reader index) is checked and handed
     * on, then consumed.
     *
     * @param endLine where the end-line starts, from the reader index
     */
    private void complete(ByteBuf in, int bodyLength, int endLine, char flag, List<Object> out) {
        Optional<String> fault = MsrpSyntax.check(method, headers, bodyLength);
        if (fault.isPresent()) {
            consume(in);
            finish(malformed(400, fault.get()), out);
            return;
        }
        int at = in.readerIndex();
        if (method == null) {
            out.add(new MsrpResponse(transactionId, status, comment, headers));
        } else if (keepBytes && (method.equals(MsrpRequest.SEND) || method.equals(MsrpRequest.REPORT))) {
            out.add(new WireRequest(new MsrpRequest(transactionId, method, headers, null, flag),
                    in.retainedSlice(at, parsed), pathsEnd, endLine, bodyStart, bodyLength));
        } else {
            byte[] body = bodyLength < 0 ? null : ByteBufUtil.getBytes(in, at + bodyStart, bodyLength);
            out.add(new MsrpRequest(transactionId, method, headers, body, flag));
        }
        consume(in);
        state = State.START;
    }

    private MalformedMsrp malformed(int code, String reason) {
        return new MalformedMsrp(transactionId, status == 0, code, reason, headers);
    }

    /** Consumes what was read of the message and skips the rest of it up to its end-line; then {@code answer}. */
    private void skip(ByteBuf in, MalformedMsrp answer) {
        consume(in);
        owed = answer;
        state = State.DISCARD;
    }

    private void consume(ByteBuf in) {
        in.skipBytes(parsed);
        parsed = 0;
    }

    private void finish(MalformedMsrp answer, List<Object> out) {
        if (answer != null) {
            out.add(answer);
        }
        owed = null;
        state = State.START;
    }

    private void fatal(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        log.info("closing MSRP connection from {}: {}", ctx.channel().remoteAddress(), reason);
        state = State.CLOSED;
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state != State.START && state != State.CLOSED || in.isReadable()) {
            log.debug("MSRP connection from {} closed inside a message (transaction {})", ctx.channel().remoteAddress(),
                    transactionId);
        }
        in.skipBytes(in.readableBytes());
        state = State.CLOSED;
    }

    /** The CRLF that ends the line at {@code from}: looked for in a short window first, as lines are short. */
    private int lineEnd(ByteBuf in, int from) {
        return indexOf(in, from, CRLF, 256);
    }

    /** An end-line, searched for through a whole body: in windows as large as they come. */
    private int indexOf(ByteBuf in, int from, byte[] needle) {
        return indexOf(in, from, needle, MAX_WINDOW);
    }

    /**
     * The first {@code needle} at or after {@code from}. The buffer is read into an array a window
     * at a time (a bulk copy) and searched there a word at a time: reading a direct buffer byte by
     * byte goes through the JDK's checks for every byte (Netty without sun.misc.Unsafe), which made
     * the scan for a chunk's end-line the relay's largest cost.
     */
    private int indexOf(ByteBuf in, int from, byte[] needle, int firstWindow) {
        int last = in.writerIndex() - needle.length; // the last place a whole needle could start
        int window = firstWindow;
        int at = from;
        while (at <= last) {
            int n = Math.min(window, in.writerIndex() - at);
            if (scan.length < n) {
                scan = new byte[Math.max(n, scan.length * 2)];
            }
            in.getBytes(at, scan, 0, n);
            int i = 0;
            while (i <= n - 1 && at + i <= last) {
                i = indexOf(scan, i, n, needle[0]);
                if (i < 0 || at + i > last) {
                    break;
                }
                if (i + needle.length <= n ? matchesAt(scan, i, needle) : matchesAt(in, at + i, needle)) {
                    return at + i;
                }
                i++;
            }
            at += n;
            window = Math.min(window * 2, MAX_WINDOW);
        }
        return -1;
    }

    /** The first {@code b} in {@code a} between {@code from} and {@code to}, eight bytes at a time; -1 when none. */
    private static int indexOf(byte[] a, int from, int to, byte b) {
        long pattern = (b & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(a, i) ^ pattern;
            // the lowest byte of word that is zero, if any (bytes above a zero may show falsely; below never)
            long zero = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesAt(byte[] a, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (a[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAt(ByteBuf in, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (in.getByte(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** {@code length} bytes from {@code at} into the line buffer (grown as needed: header lines are bounded). */
    private byte[] copyLine(ByteBuf in, int at, int length) {
        if (line.length < length) {
            line = new byte[Math.max(length, line.length * 2)];
        }
        in.getBytes(at, line, 0, length);
        return line;
    }

    private static boolean startsWith(byte[] raw, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (raw[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] raw, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<String> utf8(byte[] raw, int length) {
        if (ascii(raw, length)) {
            // what MSRP lines nearly always are: no decoder needed to know they are valid UTF-8
            return Optional.of(new String(raw, 0, length, StandardCharsets.ISO_8859_1));
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, length)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean ascii(byte[] raw, int length) {
        for (int i = 0; i < length; i++) {
            if (raw[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
