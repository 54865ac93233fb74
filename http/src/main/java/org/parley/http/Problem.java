package org.parley.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem document, the body of every error the HTTP side returns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are URNs: stable identifiers that promise no documentation page. */
    static Problem of(String kind, String title, int status, String detail) {
        return new Problem("urn:parley:problem:" + kind, title, status, detail, null);
    }

    Problem at(String path) {
        return new Problem(type, title, status, detail, path);
    }
}
