package org.parley.conference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.function.Supplier;
import org.parley.accounts.Account;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.sdp.Connection;
import org.parley.msrp.sdp.MsrpMedia;
import org.parley.msrp.sdp.Origin;
import org.parley.msrp.sdp.SessionDescription;
import org.parley.msrp.session.MessageRefused;
import org.parley.msrp.session.MsrpEndpoint;
import org.parley.msrp.session.MsrpLink;
import org.parley.msrp.session.MsrpSession;
import org.parley.msrp.session.SessionListener;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session members of rooms (RFC 4353 §5: the focus is the other end of every member's session):
 * an INVITE offering MSRP to a room is answered by the focus ({@code Contact: ...;isfocus},
 * RFC 4579 §3), whose MSRP end is Parley's one {@link MsrpEndpoint}. A member's session lasts
 * until its BYE, the loss of its MSRP connection, or its removal from the room (then the focus
 * says BYE). What the member sends goes to the {@link Traffic} (the room's rules); what the room
 * sends the member goes out as SENDs over the connection the member opened (RFC 4975 §5.4).
 *
 * <p>Flow control: a member's copies never wait for anyone. Before the member has connected they
 * queue; after, each goes out at once and the chunks the member has not answered are counted.
 * Past {@link ConferenceSettings#sessionBacklog()} either way the member reads too slowly and is
 * dropped (BYE with a Reason, RFC 3326), so a slow reader costs the room a bounded amount of memory
 * and nobody's delivery waits for it.
 */
final class FocusSessions {
    private static final Logger LOG = LoggerFactory.getLogger(FocusSessions.class);
    /** The focus takes CPIM (RFC 3862: From/To name sender and recipient) and plain text (a pager-style room). */
    static final List<String> ACCEPT_TYPES = List.of("message/cpim", "text/plain");
    private static final int CHUNK_BYTES = 2048;

    /** What the room makes of what a session member does. */
    interface Traffic {
        /** A whole message from the member; throws {@link MessageRefused} to answer it with an MSRP failure. */
        void message(Session session, String contentType, byte[] content);

        /** The session is over (BYE, connection lost, dropped): the member leaves unless still in by other means. */
        void ended(Session session);
    }

    /** One member's session with the focus: the SIP dialog and the MSRP session at Parley's endpoint. */
    final class Session implements SessionListener {
        /** The room's name, or the URI of the XDM group the session is with (names have no ':'). */
        final String room;
        final String aor;
        final Account account;
        final SipRequest invite;
        final String localTag;
        final Flow flow;
        final MsrpSession msrp;
        final MsrpEndpoint endpoint;
        /** Whether the session made the membership (then it ends with the session). */
        volatile boolean joinedBySession;
        private final Queue<byte[]> waiting = new ArrayDeque<>();
        private MsrpLink link;
        private boolean over;
        /** Why the focus ended the session, for what the member still sends before its BYE is answered. */
        private volatile String endedBecause = "Your session with the room is over";

        Session(String room, String aor, Account account, SipRequest invite, String localTag, Flow flow,
               MsrpEndpoint endpoint, MsrpUri local, List<MsrpUri> remotePath) {
            this.room = room;
            this.aor = aor;
            this.account = account;
            this.invite = invite;
            this.localTag = localTag;
            this.flow = flow;
            this.endpoint = endpoint;
            this.msrp = new MsrpSession(local, remotePath, ACCEPT_TYPES, endpoint.maxMessageBytes(), CHUNK_BYTES, this);
        }

        /** A copy for the member (CPIM); queued until the member connects, dropped past the backlog. */
        void deliver(byte[] cpim) {
            String overflow = null;
            synchronized (this) {
                if (over) {
                    return;
                }
                if (link == null) {
                    waiting.add(cpim);
                    if (waiting.size() > settings.sessionBacklog()) {
                        overflow = "Dropped: you did not connect to take the room's messages";
                    }
                } else if (msrp.unanswered() >= settings.sessionBacklog()) {
                    overflow = "Dropped: you read the room's messages too slowly";
                } else {
                    link.send(msrp.send(RoomCpim.CONTENT_TYPE, cpim, false));
                }
            }
            if (overflow != null) {
                LOG.info("session member {} of room {} dropped: {}", aor, room, overflow);
                end(this, overflow);
            }
        }

        @Override
        public void message(MsrpSession session, String messageId, String contentType, byte[] content) {
            synchronized (this) {
                if (over) {
                    throw new MessageRefused(403, endedBecause);
                }
            }
            traffic.message(this, contentType, content);
        }

        @Override
        public void connected(MsrpSession session, MsrpLink newLink) {
            synchronized (this) {
                link = newLink;
                for (byte[] m; (m = waiting.poll()) != null; ) {
                    newLink.send(msrp.send(RoomCpim.CONTENT_TYPE, m, false));
                }
            }
        }

        @Override
        public void disconnected(MsrpSession session) {
            if (close()) {
                endpoint.sessions().remove(msrp);
                traffic.ended(this);
            }
        }

        /** Marks the session over; true for the one caller that did. */
        private boolean close() {
            synchronized (this) {
                if (over) {
                    return false;
                }
                over = true;
                waiting.clear();
            }
            if (!open.remove(invite.callId(), this)) {
                return false;
            }
            byMember.computeIfPresent(room + " " + aor, (k, list) -> {
                List<Session> rest = list.stream().filter(x -> x != this).toList();
                return rest.isEmpty() ? null : rest;
            });
            return true;
        }
    }

    private final ConferenceSettings settings;
    private final Supplier<MsrpEndpoint> endpoint;
    private final UserAgent userAgent;
    private final Scheduler scheduler;
    /** Open sessions by Call-ID (one dialog per INVITE: the focus never forks). */
    private final Map<String, Session> open = new ConcurrentHashMap<>();
    /** The same by room and member, for the fan-out: "room aor" → that member's sessions with the room. */
    private final Map<String, List<Session>> byMember = new ConcurrentHashMap<>();
    private volatile Traffic traffic;

    FocusSessions(ConferenceSettings settings, Supplier<MsrpEndpoint> endpoint, UserAgent userAgent,
                  Scheduler scheduler) {
        this.settings = settings;
        this.endpoint = endpoint;
        this.userAgent = userAgent;
        this.scheduler = scheduler;
    }

    void trafficTo(Traffic t) {
        this.traffic = t;
    }

    /** Whether a request belongs to a member's session dialog (its BYE). */
    boolean owns(SipRequest request) {
        return open.containsKey(request.callId());
    }

    /** The sessions a member has with a room (a member may join from several devices). */
    List<Session> of(String room, String aor) {
        return byMember.getOrDefault(room + " " + aor, List.of());
    }

    List<Session> of(String room) {
        return open.values().stream().filter(m -> m.room.equals(room)).toList();
    }

    /**
     * A session for the offer of {@code tx} (already authenticated as {@code account}), registered
     * at the endpoint and waiting for its peer; or the answer that refuses it.
     */
    Result open(ServerTransaction tx, String room, String aor, Account account, MsrpMedia offer) {
        SipRequest req = tx.request();
        MsrpEndpoint end = endpoint.get();
        if (end == null) {
            return Result.refused(req.createResponse(503, "The MSRP endpoint is not started yet", tx.localTag()));
        }
        if (offer.direction() == MsrpMedia.Direction.INACTIVE) {
            return Result.refused(req.createResponse(488, "An inactive stream cannot take part in a room", tx.localTag()));
        }
        if (of(room, aor).size() >= settings.sessionsPerMember()) {
            return Result.refused(req.createResponse(403, "You hold " + settings.sessionsPerMember()
                    + " sessions with this room already (conference.session.max-per-member)", tx.localTag()));
        }
        MsrpTransport transport = offer.listenerTransport();
        Optional<MsrpUri> local = end.newUri(transport);
        if (local.isEmpty()) {
            return Result.refused(req.createResponse(488, "Parley's MSRP endpoint does not listen on " + transport
                    + " (msrp.endpoint.*)", tx.localTag()));
        }
        Session m = new Session(room, aor, account, req, tx.localTag(), tx.flow(), end, local.get(), offer.path());
        if (open.putIfAbsent(req.callId(), m) != null) {
            return Result.refused(req.createResponse(400, "The Call-ID is that of another session", tx.localTag()));
        }
        end.sessions().add(m.msrp);
        byMember.compute(room + " " + aor, (k, list) -> list == null ? List.of(m)
                : Stream.concat(list.stream(), Stream.of(m)).toList());
        return new Result(Optional.of(m), null);
    }

    /** The outcome of {@link #open}: a session, or the response refusing it. */
    record Result(Optional<Session> session, SipResponse refusal) {
        static Result refused(SipResponse r) {
            return new Result(Optional.empty(), r);
        }
    }

    /** Forgets a session the room refused before it was answered. */
    void discard(Session m) {
        if (m.close()) {
            m.endpoint.sessions().remove(m.msrp);
        }
    }

    /**
     * The 200 for a session (RFC 4579 §3: the focus's Contact carries {@code isfocus}; RFC 4975
     * §8: our URI as the path, send and receive, passive — the member connects, RFC 6135).
     */
    SipResponse answer(Session m, MsrpMedia offer, String focusUri) {
        MsrpUri local = m.msrp.local();
        MsrpMedia media = new MsrpMedia(local.port(), offer.tls(), List.of("*"), Connection.of(local.host()),
                List.of(local), ACCEPT_TYPES, List.of("*"), OptionalLong.of(m.endpoint.maxMessageBytes()),
                Optional.of(MsrpMedia.Setup.PASSIVE), offer.direction().answer(), Optional.empty(), List.of());
        long now = scheduler.now().getEpochSecond();
        byte[] sdp = SessionDescription.of(new Origin("parley", Long.toString(now), now, Connection.of(local.host())),
                media).write().getBytes(StandardCharsets.UTF_8);
        return m.invite.createResponse(200, "OK", m.localTag)
                .withHeader(HeaderNames.CONTACT, userAgent.contact(focusUri, m.flow) + ";isfocus")
                .withBody("application/sdp", sdp);
    }

    /** RFC 3261 §15.1.2: the member hangs up; a BYE outside the session's dialog is 481. */
    void bye(ServerTransaction tx) {
        SipRequest req = tx.request();
        Session m = open.get(req.callId());
        if (m == null || !req.to().tag().filter(m.localTag::equals).isPresent()
                || !req.from().tag().equals(m.invite.from().tag())) {
            tx.respond(req.createResponse(481, "Call/Transaction Does Not Exist", tx.localTag()));
            return;
        }
        tx.respond(req.createResponse(200, "OK", tx.localTag()));
        if (m.close()) {
            m.endpoint.sessions().remove(m.msrp);
            traffic.ended(m);
        }
    }

    /**
     * The focus ends a member's session (removed from the room, the room closed, too slow a
     * reader): BYE with the reason (RFC 3326). Its MSRP session stays until the BYE is answered,
     * so what the member still sends meanwhile is refused by the room, not lost as unknown.
     */
    void end(Session m, String reason) {
        m.endedBecause = reason;
        if (!m.close()) {
            return;
        }
        SipRequest invite = m.invite;
        UserAgent.Dialog dialog;
        try {
            dialog = new UserAgent.Dialog(invite.callId(),
                    invite.header(HeaderNames.TO).orElseThrow() + ";tag=" + m.localTag,
                    invite.header(HeaderNames.FROM).orElseThrow(),
                    Address.parse(invite.header(HeaderNames.CONTACT).orElseThrow()).uri(),
                    invite.headers().values(HeaderNames.RECORD_ROUTE), null);
        } catch (RuntimeException e) {
            LOG.debug("session {} has no usable Contact; ended without BYE: {}", invite.callId(), e.toString());
            m.endpoint.sessions().remove(m.msrp);
            traffic.ended(m);
            return;
        }
        String text = reason.replace("\\", "").replace("\"", "'");
        SipRequest bye = UserAgent.request(dialog, "BYE", 1,
                Headers.EMPTY.append("Reason", "SIP;cause=480;text=\"" + text + "\""), "", new byte[0]);
        userAgent.send(bye, Target.of(m.flow), response -> m.endpoint.sessions().remove(m.msrp));
        traffic.ended(m);
    }
}
