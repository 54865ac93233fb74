package org.parley.presence;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.xcap.Xml;

/**
 * The presentities' pres-rules (RFC 5025), kept in memory compiled ({@link PresRules.Policy}):
 * every SUBSCRIBE and every change of a presentity asks for its rules, and the document changes
 * only through an XCAP write, which tells {@link #changed}. A document is read from the store and
 * compiled the first time it is asked for and again after each change, never kept across one.
 */
final class PresRulesDocuments {
    /** More presentities than this are forgotten all at once (rare; each costs one read again). */
    private static final int MAX_DOCUMENTS = 200_000;

    private final XcapDocuments documents;
    private final Map<String, PresRules.Policy> byPresentity = new ConcurrentHashMap<>();

    PresRulesDocuments(XcapDocuments documents) {
        this.documents = documents;
    }

    /**
     * The rules of {@code aor}; {@link PresRules.Policy#NONE} when it has no document. A first read
     * runs inside the map's compute, so a change that commits meanwhile and then calls
     * {@link #changed} waits for it and discards it.
     */
    PresRules.Policy read(String aor) {
        PresRules.Policy known = byPresentity.get(aor);
        if (known != null) {
            return known;
        }
        if (byPresentity.size() >= MAX_DOCUMENTS) {
            byPresentity.clear();
        }
        return byPresentity.computeIfAbsent(aor,
                a -> documents.read(new DocumentContext(PresRules.AUID, false, a, PresRules.DOCUMENT))
                        .flatMap(PresRulesDocuments::compile).orElse(PresRules.Policy.NONE));
    }

    /** The document of {@code aor} was written or deleted (after the commit). */
    void changed(String aor) {
        byPresentity.remove(aor);
    }

    private static Optional<PresRules.Policy> compile(XcapDocuments.Stored stored) {
        try {
            return Optional.of(PresRules.compile(Xml.parse(stored.content())));
        } catch (XcapConflict e) {
            return Optional.empty(); // the XCAP server validates on write; unreadable means no rules
        }
    }
}
