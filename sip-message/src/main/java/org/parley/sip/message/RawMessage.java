package org.parley.sip.message;

import java.util.List;

/**
 * A message split into start line, header lines and body, before any grammar check. When a
 * request turns out malformed, this is still enough to answer it with 400 (the Via, From, To,
 * Call-ID and CSeq lines are copied as they came).
 *
 * @param fault the first fault of header syntax noticed while splitting (a line without a colon,
 *              a bad header name), null when none; {@link SipParser#validate} refuses such a message
 */
public record RawMessage(String startLine, List<Header> headers, byte[] body, String fault) {

    public boolean isResponse() {
        return startLine.regionMatches(true, 0, "SIP/", 0, 4);
    }

    /** A best-effort error response for a malformed request, or null when even that cannot be built. */
    public SipResponse errorResponse(int status, String reason) {
        Headers h = Headers.EMPTY;
        boolean hasVia = false;
        for (Header header : headers) {
            switch (header.name()) {
                case HeaderNames.VIA -> {
                    hasVia = true;
                    h = h.append(header.name(), header.value());
                }
                case HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID, HeaderNames.CSEQ ->
                        h = h.append(header.name(), header.value());
                default -> {
                    // only the headers that let the client match the response are copied
                }
            }
        }
        return hasVia ? new SipResponse(status, reason, h, SipRequest.NO_BODY) : null;
    }
}
