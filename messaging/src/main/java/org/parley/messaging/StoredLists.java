package org.parley.messaging;

import java.util.List;
import java.util.Optional;

/**
 * The user-defined lists kept on the server (PP2-35, PP2-37): a recipient list may name one by
 * reference (RFC 4826 §3.2.3 {@code <external anchor="...">}, an XCAP URI). The XDM server
 * implements this; until it exists no reference resolves, and the sender is told so.
 */
@FunctionalInterface
public interface StoredLists {
    StoredLists NONE = (owner, anchor) -> Optional.empty();

    /** The entry URIs of the list {@code anchor} points at, if {@code ownerAor} may use it. */
    Optional<List<String>> resolve(String ownerAor, String anchor);
}
