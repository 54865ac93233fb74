package org.parley.sip.message;

import java.util.List;
import java.util.Optional;

/**
 * A SIP request or response. Immutable: changes return new messages. The body is shared, not
 * copied, so callers must not change the array they pass in or get back.
 */
public sealed interface SipMessage permits SipRequest, SipResponse {

    Headers headers();

    byte[] body();

    SipMessage withHeaders(Headers headers);

    /** The first line, without CRLF. */
    String startLine();

    default String callId() {
        return headers().callId();
    }

    default CSeq cseq() {
        return headers().cseq();
    }

    default List<Via> vias() {
        return headers().vias();
    }

    default Via topVia() {
        return headers().topVia();
    }

    default Address from() {
        return headers().from();
    }

    default Address to() {
        return headers().to();
    }

    default Optional<String> header(String name) {
        return headers().first(name);
    }

    default Optional<String> contentType() {
        return headers().first(HeaderNames.CONTENT_TYPE);
    }

    /** The wire form, with a Content-Length that always matches the body. */
    default byte[] encode() {
        return WireEncoder.encode(this);
    }
}
