package org.parley.sip.message;

/** A SIP response (RFC 3261 §7.2). */
public record SipResponse(int status, String reason, Headers headers, byte[] body) implements SipMessage {

    @Override
    public String startLine() {
        return "SIP/2.0 " + status + " " + reason;
    }

    @Override
    public SipResponse withHeaders(Headers newHeaders) {
        return new SipResponse(status, reason, newHeaders, body);
    }

    public SipResponse withHeader(String name, String value) {
        return withHeaders(headers.append(name, value));
    }

    public SipResponse withBody(String contentType, byte[] newBody) {
        return new SipResponse(status, reason, headers.set(HeaderNames.CONTENT_TYPE, contentType), newBody);
    }

    public boolean isProvisional() {
        return status < 200;
    }

    public boolean isFinal() {
        return status >= 200;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** 1 for 1xx ... 6 for 6xx. */
    public int statusClass() {
        return status / 100;
    }
}
