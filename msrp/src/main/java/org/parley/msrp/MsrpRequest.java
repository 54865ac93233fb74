package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An MSRP request (RFC 4975 §7.1). {@code body} is null for a request without one (which then
 * has no Content-Type either); {@code continuation} is the end-line flag: '$' complete, '+' more
 * chunks follow, '#' the message was interrupted (§7.1.1).
 */
public record MsrpRequest(String transactionId, String method, List<MsrpHeader> headers, byte[] body,
                          char continuation) implements MsrpMessage {
    public static final String SEND = "SEND";
    public static final String REPORT = "REPORT";
    public static final String AUTH = "AUTH";
    public static final char COMPLETE = '$';
    public static final char MORE = '+';
    public static final char INTERRUPTED = '#';

    public MsrpRequest {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(method, "method");
        headers = List.copyOf(headers);
        if (continuation != COMPLETE && continuation != MORE && continuation != INTERRUPTED) {
            throw new IllegalArgumentException("not an end-line flag: " + continuation);
        }
    }

    public boolean hasBody() {
        return body != null;
    }

    /** The same request under a new transaction id and with new paths: what a relay forwards (RFC 4976 §7.3). */
    public MsrpRequest forwarded(String newTransactionId, List<MsrpUri> toPath, List<MsrpUri> fromPath) {
        return forwarded(newTransactionId, MsrpMessage.formatPath(toPath), MsrpMessage.formatPath(fromPath));
    }

    /** As {@link #forwarded(String, List, List)} with the paths as written on the wire; every other field as it came. */
    public MsrpRequest forwarded(String newTransactionId, String toPath, String fromPath) {
        List<MsrpHeader> out = new ArrayList<>(headers.size());
        out.add(new MsrpHeader(TO_PATH, toPath));
        out.add(new MsrpHeader(FROM_PATH, fromPath));
        for (MsrpHeader h : headers) {
            if (!h.name().equalsIgnoreCase(TO_PATH) && !h.name().equalsIgnoreCase(FROM_PATH)) {
                out.add(h);
            }
        }
        return new MsrpRequest(newTransactionId, method, out, body, continuation);
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
        MsrpMessage.writeHead(out, startLine(), headers);
        if (body != null) {
            out.writeBytes(new byte[] {'\r', '\n'});
            out.writeBytes(body);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        MsrpMessage.writeEndLine(out, transactionId, continuation);
        return out.toByteArray();
    }

    @Override
    public void encode(ByteBuf out) {
        MsrpMessage.writeHead(out, startLine(), headers);
        if (body != null) {
            out.writeShort(CRLF);
            out.writeBytes(body);
            out.writeShort(CRLF);
        }
        MsrpMessage.writeEndLine(out, transactionId, continuation);
    }

    @Override
    public int encodedSizeHint() {
        return MsrpMessage.headSizeHint(startLine(), headers) + (body == null ? 0 : body.length + 4)
                + transactionId.length() + 10;
    }

    private String startLine() {
        return "MSRP " + transactionId + " " + method;
    }

    @Override
    public String toString() {
        return "MSRP " + transactionId + " " + method + (body == null ? "" : " (" + body.length + " bytes)");
    }
}
