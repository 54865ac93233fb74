package org.parley.msrp;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/** An MSRP response (RFC 4975 §7.2): a status code, an optional comment, no body. */
public record MsrpResponse(String transactionId, int status, String comment, List<MsrpHeader> headers)
        implements MsrpMessage {

    public MsrpResponse {
        Objects.requireNonNull(transactionId, "transactionId");
        comment = comment == null ? "" : comment;
        headers = List.copyOf(headers);
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not a status code: " + status);
        }
    }

    /**
     * The response to a request, hop by hop (§7.2): To-Path names only the previous hop (the first
     * From-Path URI of the request), From-Path only the responder (the first To-Path URI).
     */
    public static MsrpResponse to(MsrpRequest request, int status, String comment, List<MsrpHeader> extra) {
        return to(request.transactionId(), request.headers(), status, comment, extra);
    }

    /** As {@link #to(MsrpRequest, int, String, List)} from the raw header fields, for a request that did not parse. */
    public static MsrpResponse to(String transactionId, List<MsrpHeader> requestHeaders, int status, String comment,
                                  List<MsrpHeader> extra) {
        List<MsrpHeader> headers = new ArrayList<>();
        firstUri(requestHeaders, FROM_PATH).ifPresent(uri -> headers.add(new MsrpHeader(TO_PATH, uri)));
        firstUri(requestHeaders, TO_PATH).ifPresent(uri -> headers.add(new MsrpHeader(FROM_PATH, uri)));
        headers.addAll(extra);
        return new MsrpResponse(transactionId, status, comment, headers);
    }

    private static Optional<String> firstUri(List<MsrpHeader> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst()
                .map(h -> h.value().strip().split(" ", 2)[0]).filter(v -> !v.isEmpty());
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        MsrpMessage.writeHead(out, startLine(), headers);
        MsrpMessage.writeEndLine(out, transactionId, MsrpRequest.COMPLETE);
        return out.toByteArray();
    }

    @Override
    public void encode(ByteBuf out) {
        MsrpMessage.writeHead(out, startLine(), headers);
        MsrpMessage.writeEndLine(out, transactionId, MsrpRequest.COMPLETE);
    }

    @Override
    public int encodedSizeHint() {
        return MsrpMessage.headSizeHint(startLine(), headers) + transactionId.length() + 10;
    }

    private String startLine() {
        return "MSRP " + transactionId + " " + status + (comment.isEmpty() ? "" : " " + comment);
    }

    @Override
    public String toString() {
        return "MSRP " + transactionId + " " + status + " " + comment;
    }
}
