package org.parley.sip.message;

import java.util.Optional;

/** A SIP request (RFC 3261 §7.1). */
public record SipRequest(String method, Uri requestUri, Headers headers, byte[] body) implements SipMessage {

    public static final byte[] NO_BODY = new byte[0];

    @Override
    public String startLine() {
        return method + " " + requestUri + " SIP/2.0";
    }

    @Override
    public SipRequest withHeaders(Headers newHeaders) {
        return new SipRequest(method, requestUri, newHeaders, body);
    }

    public SipRequest withRequestUri(Uri uri) {
        return new SipRequest(method, uri, headers, body);
    }

    public SipRequest withBody(String contentType, byte[] newBody) {
        return new SipRequest(method, requestUri, headers.set(HeaderNames.CONTENT_TYPE, contentType), newBody);
    }

    public boolean isMethod(String m) {
        return method.equals(m);
    }

    public Optional<Integer> maxForwards() {
        return headers.first(HeaderNames.MAX_FORWARDS).map(v -> (int) HeaderValues.boundedNumber(v, 255, "Max-Forwards"));
    }

    /**
     * A response to this request (§8.2.6.2): Via, From, To, Call-ID and CSeq copied, a To tag
     * added when the request had none and the caller gives one.
     */
    public SipResponse createResponse(int status, String reason, String toTag) {
        Headers h = Headers.EMPTY;
        for (Header header : headers.asList()) {
            switch (header.name()) {
                case HeaderNames.VIA, HeaderNames.FROM, HeaderNames.CALL_ID, HeaderNames.CSEQ ->
                        h = h.append(header.name(), header.value());
                case HeaderNames.TO -> {
                    String to = header.value();
                    if (toTag != null && status > 100 && !to().tag().isPresent()) {
                        to = to + ";tag=" + toTag;
                    }
                    h = h.append(HeaderNames.TO, to);
                }
                default -> {
                    // only the headers §8.2.6.2 names are copied
                }
            }
        }
        return new SipResponse(status, reason, h, NO_BODY);
    }

    public SipResponse createResponse(int status, String toTag) {
        return createResponse(status, StatusCodes.reason(status), toTag);
    }
}
