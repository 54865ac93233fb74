package org.parley.msrp.relay;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.msrp.MsrpUri;

/**
 * The URIs this relay has issued, by session id. A URI is only as good as its grant: once it
 * expires or the connection it was issued over closes, the relay no longer knows it (RFC 4976 §5).
 */
final class Grants {
    private final Map<String, Grant> bySessionId = new ConcurrentHashMap<>();
    private final RelayListener listener;

    Grants(RelayListener listener) {
        this.listener = listener;
    }

    void add(Grant grant) {
        bySessionId.put(grant.uri().sessionId(), grant);
        grant.connection().closeFuture().addListener(f -> {
            if (bySessionId.remove(grant.uri().sessionId(), grant)) {
                listener.ended(grant.uri());
            }
        });
    }

    /** The live grant of exactly this URI (§6.1 comparison), if any. */
    Optional<Grant> of(MsrpUri uri, Instant now) {
        Grant g = bySessionId.get(uri.sessionId());
        return g != null && g.uri().equals(uri) && g.liveAt(now) ? Optional.of(g) : Optional.empty();
    }

    void purge(Instant now) {
        bySessionId.values().removeIf(g -> {
            if (g.liveAt(now)) {
                return false;
            }
            listener.ended(g.uri());
            return true;
        });
    }

    int size() {
        return bySessionId.size();
    }
}
