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
        Header line = headers.line(HeaderNames.MAX_FORWARDS);
        return line == null ? Optional.empty() : Optional.of((int) line.number(255, "Max-Forwards"));
    }

    /**
     * A response to this request (§8.2.6.2): Via, From, To, Call-ID and CSeq copied, a To tag
     * added when the request had none and the caller gives one.
     */
    public SipResponse createResponse(int status, String reason, String toTag) {
        // one array, filled in one pass with the request's own lines (their received octets are
        // what the encoder copies): every request is answered at least once, most twice (a 407, a 200);
        // the slots the request's other lines leave are where withHeader puts a challenge, a Contact...
        Header[] copied = new Header[headers.size()];
        int count = 0;
        boolean sameTo = true;
        for (int i = 0; i < headers.size(); i++) {
            Header header = headers.get(i);
            switch (header.name()) {
                case HeaderNames.VIA, HeaderNames.FROM, HeaderNames.CALL_ID, HeaderNames.CSEQ -> copied[count++] = header;
                case HeaderNames.TO -> {
                    if (toTag != null && status > 100 && !to().tag().isPresent()) {
                        copied[count++] = header.octets() >= 0 && isAscii(toTag) ? header.withTag(toTag)
                                : new Header(HeaderNames.TO, header.value() + ";tag=" + toTag);
                        sameTo = false;
                    } else {
                        copied[count++] = header;
                    }
                }
                default -> {
                    // only the headers §8.2.6.2 names are copied
                }
            }
        }
        return new SipResponse(status, reason, Headers.of(copied, count).sharingViews(headers, sameTo), NO_BODY);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public SipResponse createResponse(int status, String toTag) {
        return createResponse(status, StatusCodes.reason(status), toTag);
    }
}
