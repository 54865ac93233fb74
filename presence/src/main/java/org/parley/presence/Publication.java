package org.parley.presence;

import java.time.Instant;
import org.w3c.dom.Element;

/**
 * One event state of a presentity published by one device (RFC 3903 §2): its entity tag, the
 * PIDF document as parsed when it was published and when it lapses. {@code modifiedAt} orders
 * publications for composition: the most recently changed wins where two disagree.
 *
 * @param pidf the presence element of a document of its own ({@link Pidf#kept}): every composition
 *             reads it instead of parsing the body again (issue 13: 13.6 % of the mass SUBSCRIBE
 *             step), under its monitor — a DOM is not safe for readers on several threads
 *             (messaging asks for a recipient's willingness while a watcher's SUBSCRIBE composes)
 */
record Publication(String aor, String etag, Element pidf, Instant modifiedAt, Instant expiresAt) {

    boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    Publication refreshed(String newEtag, Instant newExpiry) {
        return new Publication(aor, newEtag, pidf, modifiedAt, newExpiry);
    }
}
