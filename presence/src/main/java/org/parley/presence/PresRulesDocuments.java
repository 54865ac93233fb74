package org.parley.presence;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;

/**
 * The presentities' pres-rules documents (RFC 5025) as stored, kept in memory: every SUBSCRIBE and
 * every change of a presentity asks for its rules, and the document changes only through an XCAP
 * write, which tells {@link #changed}. A document is read from the store the first time it is
 * asked for and again after each change, never kept across one.
 */
final class PresRulesDocuments {
    /** More presentities than this are forgotten all at once (rare; each costs one read again). */
    private static final int MAX_DOCUMENTS = 200_000;

    private final XcapDocuments documents;
    private final Map<String, Optional<XcapDocuments.Stored>> byPresentity = new ConcurrentHashMap<>();

    PresRulesDocuments(XcapDocuments documents) {
        this.documents = documents;
    }

    /**
     * The stored document of {@code aor}, if any. A first read runs inside the map's compute, so a
     * change that commits meanwhile and then calls {@link #changed} waits for it and discards it.
     */
    Optional<XcapDocuments.Stored> read(String aor) {
        Optional<XcapDocuments.Stored> known = byPresentity.get(aor);
        if (known != null) {
            return known;
        }
        if (byPresentity.size() >= MAX_DOCUMENTS) {
            byPresentity.clear();
        }
        return byPresentity.computeIfAbsent(aor,
                a -> documents.read(new DocumentContext(PresRules.AUID, false, a, PresRules.DOCUMENT)));
    }

    /** The document of {@code aor} was written or deleted (after the commit). */
    void changed(String aor) {
        byPresentity.remove(aor);
    }
}
