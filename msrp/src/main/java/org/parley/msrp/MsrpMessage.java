package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An MSRP request or response (RFC 4975 §9): start line, header fields, optional body, end-line. */
public sealed interface MsrpMessage permits MsrpRequest, MsrpResponse {
    String TO_PATH = "To-Path";
    String FROM_PATH = "From-Path";
    String MESSAGE_ID = "Message-ID";
    String BYTE_RANGE = "Byte-Range";
    String SUCCESS_REPORT = "Success-Report";
    String FAILURE_REPORT = "Failure-Report";
    String STATUS = "Status";
    String CONTENT_TYPE = "Content-Type";
    String EXPIRES = "Expires";
    String MIN_EXPIRES = "Min-Expires";
    String MAX_EXPIRES = "Max-Expires";
    String USE_PATH = "Use-Path";
    String WWW_AUTHENTICATE = "WWW-Authenticate";
    String AUTHORIZATION = "Authorization";
    String AUTHENTICATION_INFO = "Authentication-Info";
    /** CR LF and ": " as the two bytes {@link ByteBuf#writeShort} writes. */
    short CRLF = ('\r' << 8) | '\n';
    short COLON_SPACE = (':' << 8) | ' ';

    String transactionId();

    List<MsrpHeader> headers();

    /** The first field of that name (names compare without regard to case). */
    default Optional<String> header(String name) {
        // an indexed loop: looked up several times for every chunk a relay carries, and the iterator of
        // the immutable list was the largest allocation left per chunk (the lists are random access)
        List<MsrpHeader> headers = headers();
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                return Optional.of(headers.get(i).value());
            }
        }
        return Optional.empty();
    }

    default List<String> headerValues(String name) {
        return headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(MsrpHeader::value).toList();
    }

    /** The URIs of To-Path, in visiting order; the decoder has checked that they parse. */
    default List<MsrpUri> toPath() {
        return path(TO_PATH);
    }

    default List<MsrpUri> fromPath() {
        return path(FROM_PATH);
    }

    private List<MsrpUri> path(String name) {
        return header(name).map(MsrpMessage::parsePath).flatMap(p -> p).orElse(List.of());
    }

    /** A To-Path or From-Path value: one or more URIs separated by single spaces (§9). */
    static Optional<List<MsrpUri>> parsePath(String value) {
        return ParsedPaths.get(value, MsrpMessage::parseUris);
    }

    private static Optional<List<MsrpUri>> parseUris(String value) {
        List<MsrpUri> out = new ArrayList<>();
        for (String part : value.split(" ", -1)) {
            Optional<MsrpUri> uri = MsrpUri.parse(part);
            if (uri.isEmpty()) {
                return Optional.empty();
            }
            out.add(uri.get());
        }
        return Optional.of(List.copyOf(out));
    }

    static String formatPath(List<MsrpUri> path) {
        return String.join(" ", path.stream().map(MsrpUri::toString).toList());
    }

    /** The wire form. */
    byte[] encode();

    /** Writes the wire form into {@code out}: what a byte stream sends, with no copy in between. */
    void encode(ByteBuf out);

    /** About how many bytes {@link #encode(ByteBuf)} writes: a buffer of that size rarely grows. */
    int encodedSizeHint();

    /** Start line and header fields, each ending in CRLF. */
    static void writeHead(ByteArrayOutputStream out, String startLine, List<MsrpHeader> headers) {
        out.writeBytes((startLine + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (MsrpHeader h : headers) {
            out.writeBytes((h.name() + ": " + h.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    static void writeEndLine(ByteArrayOutputStream out, String transactionId, char flag) {
        out.writeBytes(("-------" + transactionId + flag + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    static void writeHead(ByteBuf out, String startLine, List<MsrpHeader> headers) {
        ByteBufUtil.writeUtf8(out, startLine);
        out.writeShort(CRLF);
        for (MsrpHeader h : headers) {
            ByteBufUtil.writeUtf8(out, h.name());
            out.writeShort(COLON_SPACE);
            ByteBufUtil.writeUtf8(out, h.value());
            out.writeShort(CRLF);
        }
    }

    static void writeEndLine(ByteBuf out, String transactionId, char flag) {
        ByteBufUtil.writeAscii(out, "-------");
        ByteBufUtil.writeAscii(out, transactionId);
        out.writeByte(flag);
        out.writeShort(CRLF);
    }

    static int headSizeHint(String startLine, List<MsrpHeader> headers) {
        int n = startLine.length() + 2;
        for (MsrpHeader h : headers) {
            n += h.name().length() + h.value().length() + 4;
        }
        return n;
    }
}
