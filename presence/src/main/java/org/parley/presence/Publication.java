package org.parley.presence;

import java.time.Instant;

/**
 * One event state of a presentity published by one device (RFC 3903 §2): its entity tag, the
 * PIDF body as received and when it lapses. {@code modifiedAt} orders publications for
 * composition: the most recently changed wins where two disagree.
 */
record Publication(String aor, String etag, byte[] pidf, Instant modifiedAt, Instant expiresAt) {

    boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    Publication refreshed(String newEtag, Instant newExpiry) {
        return new Publication(aor, newEtag, pidf, modifiedAt, newExpiry);
    }
}
