package org.parley.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Request body limits per door: XCAP documents ({@code /xcap-root}) may be much bigger than the
 * JSON of the admin and user APIs. The listener's own cap is the larger of the two (a body
 * without Content-Length is held to that); a declared Content-Length over the door's limit is
 * refused here with 413 before anything reads it.
 */
final class BodyLimits implements Filter {
    /** A buddy list of several thousand contacts; 64 KiB held one of about 700. */
    static final long DEFAULT_XCAP_MAX_BODY_BYTES = 1024 * 1024;

    private final long apiMaxBytes;
    private final long xcapMaxBytes;

    BodyLimits(long apiMaxBytes, long xcapMaxBytes) {
        this.apiMaxBytes = apiMaxBytes;
        this.xcapMaxBytes = xcapMaxBytes;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        boolean xcap = req.prologue().uriPath().rawPath().startsWith(GuardedApi.XCAP_PATH);
        long limit = xcap ? xcapMaxBytes : apiMaxBytes;
        long declared = req.headers().first(HeaderNames.CONTENT_LENGTH).map(BodyLimits::length).orElse(0L);
        if (declared > limit) {
            throw new ProblemException(Problem.of("payload-too-large", "Content Too Large", 413,
                    "The body is " + declared + " bytes; " + (xcap ? "XCAP takes" : "this API takes") + " at most " + limit));
        }
        chain.proceed();
    }

    /** A malformed length is Helidon's to refuse with 400; it is no reason to refuse here. */
    private static long length(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
