package org.parley.msrp.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpResponse;
import org.parley.msrp.MsrpUri;

/**
 * The sessions of one endpoint, found by the session id of the request's To-Path (RFC 4975
 * §7.3): the URI must be the session's own, and the request must come from the session's peer
 * (the last From-Path URI); anything else is 481. Several sessions may share one connection
 * (§5.4), so it is the message, not the connection, that picks the session.
 */
public final class MsrpSessions {
    private final Map<String, MsrpSession> bySessionId = new ConcurrentHashMap<>();

    public void add(MsrpSession session) {
        if (bySessionId.putIfAbsent(session.local().sessionId(), session) != null) {
            throw new IllegalArgumentException("session id in use: " + session.local().sessionId());
        }
    }

    public void remove(MsrpSession session) {
        bySessionId.remove(session.local().sessionId(), session);
    }

    /** Sessions open, for monitoring. */
    public int size() {
        return bySessionId.size();
    }

    /** What to write back for a request that arrived on a connection. */
    public List<MsrpMessage> receive(MsrpRequest request) {
        return receive(request, null);
    }

    /**
     * As {@link #receive(MsrpRequest)}; the first request of a session binds it to {@code link},
     * the connection it came over (RFC 4975 §5.4), which is told when that connection closes.
     */
    public List<MsrpMessage> receive(MsrpRequest request, LinkOwner link) {
        Optional<MsrpSession> session = match(request);
        if (session.isEmpty()) {
            return request.method().equals(MsrpRequest.REPORT) ? List.of()
                    : MsrpSession.answer(request, 481, "Session-does-not-exist");
        }
        if (link != null && session.get().bind(link.link())) {
            MsrpSession s = session.get();
            link.onClose(() -> s.disconnected(link.link()));
        }
        return session.get().receive(request);
    }

    /** A connection as the endpoint's handler gives it: the link sessions bind to, and its end. */
    public interface LinkOwner {
        MsrpLink link();

        /** Runs {@code whenClosed} (off the I/O threads) once the connection is closed. */
        void onClose(Runnable whenClosed);
    }

    /** A response goes to the session it names in To-Path (responses are hop by hop, §7.2). */
    public void receive(MsrpResponse response) {
        List<MsrpUri> to = response.toPath();
        if (!to.isEmpty()) {
            MsrpSession s = bySessionId.get(to.getFirst().sessionId());
            if (s != null && s.local().equals(to.getFirst())) {
                s.receive(response);
            }
        }
    }

    private Optional<MsrpSession> match(MsrpRequest request) {
        List<MsrpUri> to = request.toPath();
        List<MsrpUri> from = request.fromPath();
        if (to.size() != 1 || from.isEmpty()) {
            return Optional.empty(); // relays have taken their URIs off; only ours is left
        }
        MsrpSession s = bySessionId.get(to.getFirst().sessionId());
        return s != null && s.local().equals(to.getFirst()) && s.remote().equals(from.getLast())
                ? Optional.of(s) : Optional.empty();
    }
}
