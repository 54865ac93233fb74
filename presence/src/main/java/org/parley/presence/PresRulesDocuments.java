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
 * only through an XCAP write, which tells {@link #changed}. So a SUBSCRIBE never reads the store:
 * the documents stored before the start are loaded in the background ({@link #preload}), and a
 * written one is compiled again when the write tells us, after its commit, rather than by the
 * next SUBSCRIBE (issue 13: the first SUBSCRIBE to each presentity read and parsed its document,
 * 13 % of the SUBSCRIBE step's CPU). One a SUBSCRIBE asks for before the load reached it is read then.
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
     * {@link #changed} waits for it and reads again.
     */
    PresRules.Policy read(String aor) {
        PresRules.Policy known = byPresentity.get(aor);
        if (known != null) {
            return known;
        }
        if (byPresentity.size() >= MAX_DOCUMENTS) {
            byPresentity.clear();
        }
        return byPresentity.computeIfAbsent(aor, this::load);
    }

    /**
     * Compiles every stored pres-rules document not yet asked for (up to the bound), e.g. on a
     * background thread at start, so that the first SUBSCRIBE to each presentity finds it in memory.
     */
    void preload() {
        try {
            for (String aor : documents.users(PresRules.AUID)) {
                if (byPresentity.size() >= MAX_DOCUMENTS || Thread.currentThread().isInterrupted()) {
                    return;
                }
                byPresentity.computeIfAbsent(aor, this::load);
            }
        } catch (RuntimeException e) {
            // the store went away (a stop during the load): what was not loaded is read when asked for
        }
    }

    /** The document of {@code aor} was written or deleted (after the commit): compiled again now. */
    void changed(String aor) {
        byPresentity.compute(aor, (a, before) -> load(a));
    }

    private PresRules.Policy load(String aor) {
        return documents.read(new DocumentContext(PresRules.AUID, false, aor, PresRules.DOCUMENT))
                .flatMap(PresRulesDocuments::compile).orElse(PresRules.Policy.NONE);
    }

    private static Optional<PresRules.Policy> compile(XcapDocuments.Stored stored) {
        try {
            return Optional.of(PresRules.compile(Xml.parse(stored.content())));
        } catch (XcapConflict e) {
            return Optional.empty(); // the XCAP server validates on write; unreadable means no rules
        }
    }
}
