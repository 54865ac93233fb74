package org.parley.xdm.xcap;

import org.parley.xdm.XcapConflict;

import java.util.Map;
import java.util.Optional;

/**
 * A request that cannot be served, with the HTTP status and, for 409, the RFC 4825 §11 condition.
 *
 * @param conflict the 409 condition, whose error document is the response body
 * @param headers  extra response headers (Allow for 405)
 */
public final class XcapError extends Exception {
    private final int status;
    private final transient Optional<XcapConflict> conflict;
    private final Map<String, String> headers;

    private XcapError(int status, String message, Optional<XcapConflict> conflict, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.conflict = conflict;
        this.headers = Map.copyOf(headers);
    }

    public static XcapError of(int status, String message) {
        return new XcapError(status, message, Optional.empty(), Map.of());
    }

    public static XcapError conflict(XcapConflict conflict) {
        return new XcapError(409, conflict.getMessage(), Optional.of(conflict), Map.of());
    }

    public static XcapError notAllowed(String allow, String message) {
        return new XcapError(405, message, Optional.empty(), Map.of("Allow", allow));
    }

    public static XcapError notFound(String message) {
        return of(404, message);
    }

    public static XcapError preconditionFailed(String message) {
        return of(412, message);
    }

    public int status() {
        return status;
    }

    public Optional<XcapConflict> xcapConflict() {
        return conflict;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
