package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
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
    /** ident = ALPHANUM 3*31ident-char (§9). */
    static final Pattern TRANSACTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-+%=]{3,31}");
    /** token characters of a header name (§9), besides letters and digits */
    private static final String HEADER_NAME_SYMBOLS = "!#$%&'*+.^_`|~-";
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String END_LINE_DASHES = "-------";

    private enum State { START, HEADERS, BODY, DISCARD, CLOSED }

    private final MsrpLimits limits;
    private State state = State.START;
    private String transactionId;
    private String method;
    private int status;
    private String comment;
    private final List<MsrpHeader> headers = new ArrayList<>();
    private int headerBytes;
    /** Bytes of the body already searched for the end-line without finding it. */
    private int bodyScanned;
    /** The answer owed once the message being discarded ends; null when it was given already. */
    private MalformedMsrp owed;

    public MsrpDecoder(MsrpLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // Netty calls again only after progress in bytes or output; a change of state is progress too.
        while (true) {
            State before = state;
            int readable = in.readableBytes();
            int produced = out.size();
            step(ctx, in, out);
            if (state == State.CLOSED || !in.isReadable()
                    || state == before && readable == in.readableBytes() && produced == out.size()) {
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
        int eol = indexOf(in, in.readerIndex(), CRLF);
        if (eol < 0 && in.readableBytes() <= limits.maxHeaderBytes()) {
            return;
        }
        if (eol < 0 || eol - in.readerIndex() > limits.maxHeaderBytes()) {
            fatal(ctx, in, "no start line within " + limits.maxHeaderBytes() + " bytes");
            return;
        }
        int length = eol - in.readerIndex();
        byte[] raw = new byte[length];
        in.readBytes(raw);
        in.skipBytes(2);
        if (length == 0) {
            return; // a CRLF between messages, as keep-alive traffic sometimes leaves, is no message
        }
        Optional<String> line = utf8(raw);
        StartLine m = line.map(StartLine::parse).orElse(null);
        String tid = m != null ? m.transactionId() : asciiTransactionId(raw);
        if (tid == null || !TRANSACTION_ID.matcher(tid).matches()) {
            fatal(ctx, in, "not an MSRP start line");
            return;
        }
        begin(tid, length + 2);
        if (m == null) {
            // The id is known, so the message can be skipped to its end-line and answered (§7.2).
            skip(new MalformedMsrp(tid, true, 400, line.isEmpty() ? "start line is not UTF-8" : "malformed start line",
                    List.of()));
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
            if (rest.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
                return new StartLine(tid, rest, 0, null);
            }
            boolean code = rest.length() >= 3 && digit(rest.charAt(0)) && digit(rest.charAt(1)) && digit(rest.charAt(2));
            if (!code || rest.length() > 3 && (rest.charAt(3) != ' ' || lineBreakIn(rest))) {
                return null;
            }
            return new StartLine(tid, null, Integer.parseInt(rest.substring(0, 3)),
                    rest.length() > 3 ? rest.substring(4) : "");
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
    private static String asciiTransactionId(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
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
        bodyScanned = 0;
        owed = null;
    }

    private void headerLine(ByteBuf in, List<Object> out) {
        int eol = indexOf(in, in.readerIndex(), CRLF);
        int budget = limits.maxHeaderBytes() - headerBytes;
        if (eol < 0) {
            if (in.readableBytes() > budget) {
                skip(malformed(400, "header fields larger than " + limits.maxHeaderBytes() + " bytes"));
            }
            return;
        }
        int length = eol - in.readerIndex();
        if (length + 2 > budget) {
            skip(malformed(400, "header fields larger than " + limits.maxHeaderBytes() + " bytes"));
            return;
        }
        byte[] raw = new byte[length];
        in.readBytes(raw);
        in.skipBytes(2);
        headerBytes += length + 2;
        if (length == 0) {
            state = State.BODY; // the extra CRLF of content-stuff (§9): the body follows
            return;
        }
        Optional<String> line = utf8(raw);
        if (line.isEmpty()) {
            skip(malformed(400, "header field is not UTF-8"));
            return;
        }
        String text = line.get();
        if (text.startsWith(END_LINE_DASHES)) {
            endWithoutBody(text, out);
            return;
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || !headerName(text, colon)) {
            skip(malformed(400, "malformed header field"));
            return;
        }
        headers.add(new MsrpHeader(text.substring(0, colon), text.substring(colon + 1).strip()));
    }

    /** The first {@code length} characters are a token (§9); a loop, as every header line of every chunk passes here. */
    private static boolean headerName(String text, int length) {
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || HEADER_NAME_SYMBOLS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private void endWithoutBody(String endLine, List<Object> out) {
        String expected = END_LINE_DASHES + transactionId;
        if (endLine.length() != expected.length() + 1 || !endLine.startsWith(expected)
                || "$+#".indexOf(endLine.charAt(endLine.length() - 1)) < 0) {
            // Not our end-line, but certainly the end of something: take it as this message's end.
            finish(malformed(400, "wrong end-line"), out);
            return;
        }
        complete(null, endLine.charAt(endLine.length() - 1), out);
    }

    private void body(ByteBuf in, List<Object> out) {
        byte[] boundary = ("\r\n" + END_LINE_DASHES + transactionId).getBytes(StandardCharsets.US_ASCII);
        int from = in.readerIndex() + bodyScanned;
        int found = indexOf(in, from, boundary);
        if (found < 0) {
            bodyScanned = Math.max(0, in.readableBytes() - boundary.length + 1);
            if (bodyScanned > limits.maxChunkBytes()) {
                MalformedMsrp tooLarge = malformed(413, "chunk larger than " + limits.maxChunkBytes() + " bytes");
                out.add(tooLarge); // answered now, so that the sender stops (§7.3, 413)
                skip(null);
            }
            return;
        }
        int bodyLength = found - in.readerIndex();
        if (bodyLength > limits.maxChunkBytes()) {
            in.skipBytes(bodyLength + boundary.length);
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
        byte[] body = new byte[bodyLength];
        in.readBytes(body);
        in.skipBytes(boundary.length + 3);
        complete(body, (char) flag, out);
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

    private void complete(byte[] body, char flag, List<Object> out) {
        Optional<String> fault = MsrpSyntax.check(method, headers, body);
        if (fault.isPresent()) {
            finish(malformed(400, fault.get()), out);
            return;
        }
        out.add(method != null ? new MsrpRequest(transactionId, method, headers, body, flag)
                : new MsrpResponse(transactionId, status, comment, headers));
        state = State.START;
    }

    private MalformedMsrp malformed(int code, String reason) {
        return new MalformedMsrp(transactionId, status == 0, code, reason, headers);
    }

    private void skip(MalformedMsrp answer) {
        owed = answer;
        state = State.DISCARD;
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

    /**
     * The first {@code needle} at or after {@code from}: candidates are found by the buffer's own
     * search for the first byte (word-at-a-time), so a body is not walked byte by byte.
     */
    private static int indexOf(ByteBuf in, int from, byte[] needle) {
        int last = in.writerIndex() - needle.length;
        int i = from;
        while (i <= last) {
            i = in.indexOf(i, last + 1, needle[0]);
            if (i < 0) {
                return -1;
            }
            if (matchesAt(in, i, needle)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean matchesAt(ByteBuf in, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (in.getByte(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> utf8(byte[] raw) {
        if (ascii(raw)) {
            // what MSRP header lines nearly always are: no decoder needed to know they are valid UTF-8
            return Optional.of(new String(raw, StandardCharsets.ISO_8859_1));
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean ascii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
