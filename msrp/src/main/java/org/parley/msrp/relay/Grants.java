package org.parley.msrp.relay;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.msrp.MsrpUri;

/**
 * The URIs this relay has issued, by session id. A URI is only as good as its grant: once it
 * expires or the connection it was issued over closes, the relay no longer carries traffic for it
 * (RFC 4976 §5). A client that AUTHs again over the same connection before its grant ends gets the
 * same URI for longer (RFC 4976 §5.1), so that the sessions it set up with that URI go on.
 */
final class Grants {
    /** The last grant made over a connection. */
    private static final AttributeKey<Grant> HELD = AttributeKey.valueOf("msrp.relay.grant");

    private final Map<String, Grant> bySessionId = new ConcurrentHashMap<>();
    private final RelayListener listener;

    Grants(RelayListener listener) {
        this.listener = listener;
    }

    void add(Grant grant) {
        String id = grant.uri().sessionId();
        bySessionId.put(id, grant);
        grant.connection().attr(HELD).set(grant);
        grant.connection().closeFuture().addListener(f -> {
            // the grant of this URI as it is when the connection closes, refreshed or not
            Grant last = bySessionId.get(id);
            if (last != null && last.connection() == grant.connection() && bySessionId.remove(id, last)) {
                listener.ended(last.uri());
            }
        });
    }

    /**
     * The last grant {@code username} got over {@code connection}, still live at {@code now},
     * extended until {@code expires} with its URI unchanged; empty when there is none to refresh.
     */
    Optional<Grant> refresh(Channel connection, String username, Instant expires, Instant now) {
        Grant held = connection.attr(HELD).get();
        if (held == null || !held.username().equals(username) || !held.liveAt(now)) {
            return Optional.empty();
        }
        Grant refreshed = new Grant(held.uri(), username, connection, expires);
        if (!bySessionId.replace(held.uri().sessionId(), held, refreshed)) {
            return Optional.empty(); // purged or refreshed meanwhile
        }
        connection.attr(HELD).set(refreshed);
        return Optional.of(refreshed);
    }

    /** The live grant of exactly this URI (§6.1 comparison), if any. */
    Optional<Grant> of(MsrpUri uri, Instant now) {
        Grant g = bySessionId.get(uri.sessionId());
        return g != null && g.uri().equals(uri) && g.liveAt(now) ? Optional.of(g) : Optional.empty();
    }

    /** Whether this URI is one the relay granted whose time ran out (until the next purge forgets it). */
    boolean expired(MsrpUri uri, Instant now) {
        Grant g = bySessionId.get(uri.sessionId());
        return g != null && g.uri().equals(uri) && !now.isBefore(g.expires());
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
