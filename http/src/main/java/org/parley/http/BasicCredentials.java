package org.parley.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user-id and password of an RFC 7617 {@code Basic} Authorization header (UTF-8, as the challenge announces). */
record BasicCredentials(String userId, String password) {
    private static final String SCHEME = "basic ";

    static boolean isBasic(String authorization) {
        return authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** @return empty when the header is not Basic or its token is not base64 of "user-id:password" */
    static Optional<BasicCredentials> parse(String authorization) {
        if (!isBasic(authorization)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        // RFC 7617: the user-id cannot contain a colon, the password can; split at the first one.
        int colon = pair.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
    }

    /** Keeps the password out of logs and stack traces should the record ever be printed. */
    @Override
    public String toString() {
        return "BasicCredentials[userId=" + userId + "]";
    }
}
