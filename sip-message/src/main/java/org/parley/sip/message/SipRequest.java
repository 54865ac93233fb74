package org.parley.sip.message;

import java.util.ArrayList;
import java.util.List;
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
        // one list, filled in one pass: every request is answered at least once, most twice (a 407, a 200)
        List<Header> copied = new ArrayList<>(6);
        boolean sameTo = true;
        for (int i = 0; i < headers.size(); i++) {
            Header header = headers.get(i);
            switch (header.name()) {
                case HeaderNames.VIA, HeaderNames.FROM, HeaderNames.CALL_ID, HeaderNames.CSEQ -> copied.add(header);
                case HeaderNames.TO -> {
                    if (toTag != null && status > 100 && !to().tag().isPresent()) {
                        copied.add(new Header(HeaderNames.TO, header.value() + ";tag=" + toTag));
                        sameTo = false;
                    } else {
                        copied.add(header);
                    }
                }
                default -> {
                    // only the headers §8.2.6.2 names are copied
                }
            }
        }
        return new SipResponse(status, reason, Headers.of(copied).sharingViews(headers, sameTo), NO_BODY);
    }

    public SipResponse createResponse(int status, String toTag) {
        return createResponse(status, StatusCodes.reason(status), toTag);
    }
}
