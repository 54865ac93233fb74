package org.parley.messaging.chat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.accounts.Account;
import org.parley.messaging.store.UsageEvent;
import org.parley.messaging.store.UsageLog;
import org.parley.messaging.store.UsageRecord;
import org.parley.msrp.ByteRange;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.relay.RelayListener;
import org.parley.msrp.sdp.FileTransfer;
import org.parley.msrp.sdp.MalformedSdp;
import org.parley.msrp.sdp.MsrpMedia;
import org.parley.msrp.sdp.SessionDescription;
import org.parley.sip.message.Address;
import org.parley.sip.message.Headers;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.proxy.DialogWatch;
import org.parley.sip.proxy.Locator;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat sessions Parley routes between its users (MU-1, MU-4, MU-5, MU-6, UC 5.2): fed by the
 * proxy (the dialog-creating INVITE with an MSRP offer, its 2xx, BYE, refreshes) and by the MSRP
 * relay (what it carries, connections that close). It applies the operator's session rules —
 * session timers (RFC 4028: Session-Expires added or lowered, 422 below Min-SE), file size
 * (488), message size (413) and files per session (403) — counts each session's traffic, and
 * ends a session with BYE to both sides when one side's device vanishes (its relay connection
 * closed, or its session timer lapsed) or the session outlives the operator's maximum. Each
 * session leaves one usage record when it ends (PP2-6, PP-49).
 */
public final class ChatSessions implements DialogWatch, RelayListener {
    private static final Logger log = LoggerFactory.getLogger(ChatSessions.class);
    private static final String SESSION_EXPIRES = "Session-Expires";
    private static final String MIN_SE = "Min-SE";
    /**
     * An offer the router answered itself after letting it through (404, 480 for a callee with no
     * device) gets no final response here; past the proxy's Timer C (RFC 3261 §16.6: over 3
     * minutes) none can come, so it is forgotten.
     */
    private static final Duration OFFER_LIFETIME = Duration.ofMinutes(4);

    /** Why a session ended, as the usage record and the BYE's Reason (RFC 3326) say it. */
    enum End {
        /** Ended by one side: the server sends no BYE, so no cause or text. */
        BYE("bye", 0, ""),
        VANISHED("vanished", 410, "The other party's device is gone"),
        SESSION_TIMER("session-timer", 408, "Session timer expired without a refresh (RFC 4028)"),
        MAX_DURATION("max-duration", 403, "Session longer than the operator allows");

        final String label;
        final int cause;
        final String text;

        End(String label, int cause, String text) {
            this.label = label;
            this.cause = cause;
            this.text = text;
        }
    }

    /** An INVITE let through, until its final response says whether it became a session. */
    private record Offer(SipRequest invite, Flow callerFlow, List<MsrpMedia> streams) {
        MsrpMedia media() {
            return streams.getFirst();
        }
    }

    private final ChatSettings settings;
    private final String domain;
    private final UserAgent agent;
    private final Locator locator;
    private final UsageLog usage;
    private final SessionArchive archive;
    private final IdentityResolver identities;
    private final Scheduler scheduler;
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<String, ChatSession> byCallId = new ConcurrentHashMap<>();
    private final Map<MsrpUri, Set<ChatSession>> byRelayUri = new ConcurrentHashMap<>();
    private final Map<MsrpUri, ChatSession> byEndpoint = new ConcurrentHashMap<>();

    /**
     * @param archive    where session messages are kept (PP-38, PP-42)
     * @param identities the account a party's address names, whose storage request counts
     */
    public ChatSessions(ChatSettings settings, String domain, UserAgent agent, Locator locator, UsageLog usage,
                        SessionArchive archive, IdentityResolver identities, Scheduler scheduler) {
        this.settings = settings;
        this.archive = archive;
        this.identities = identities;
        this.domain = domain;
        this.agent = agent;
        this.locator = locator;
        this.usage = usage;
        this.scheduler = scheduler;
    }

    // ------------------------------------------------------------------ the proxy's side

    @Override
    public Admission inviting(SipRequest invite, Flow from, String localTag) {
        Optional<SipResponse> refusal = offerRefusal(invite, localTag);
        if (refusal.isPresent()) {
            return Admission.refuse(refusal.get(), invite);
        }
        Optional<List<MsrpMedia>> streams = streams(invite);
        if (streams.isEmpty()) {
            return Admission.pass(invite); // not a chat: a call is none of the chat rules' business
        }
        Optional<SipRequest> timed = withSessionTimer(invite, localTag);
        if (timed.isEmpty()) {
            return Admission.refuse(tooSmall(invite, localTag), invite);
        }
        Offer offer = new Offer(timed.get(), from, streams.get());
        offers.put(invite.callId(), offer);
        scheduler.later(OFFER_LIFETIME, () -> offers.remove(invite.callId(), offer));
        return Admission.pass(timed.get());
    }

    /**
     * A new offer within a dialog (re-INVITE, UPDATE: RFC 3261 §14, RFC 3311) meets the same rules
     * as the dialog-creating INVITE: a file-transfer stream added over the operator's limits is
     * refused with 488 before it reaches the other side, which then never answers it.
     */
    @Override
    public Optional<SipResponse> offering(SipRequest request, String localTag) {
        return offerRefusal(request, localTag);
    }

    /**
     * The one check of an MSRP offer, dialog-creating or not: an offer that cannot be read is 400
     * (not SDP) or 488 (no usable MSRP stream, a file-range outside its file), and each file
     * offered or asked for (RFC 5547 §8: sendonly pushes, recvonly pulls) is judged twice —
     * {@code chat.max-file-bytes} on the whole file, so that a file over it cannot pass in resumed
     * parts, and {@code chat.max-message-bytes} on the octets actually sent (the a=file-range of a
     * resumed transfer, else the whole file), which the relay would otherwise refuse part way with 413.
     */
    private Optional<SipResponse> offerRefusal(SipRequest request, String localTag) {
        List<MsrpMedia> streams;
        try {
            streams = sdpBody(request) ? SessionDescription.parse(request.body()).msrp() : List.of();
        } catch (MalformedSdp e) {
            if (!new String(request.body(), StandardCharsets.UTF_8).contains("m=message")) {
                return Optional.empty();
            }
            return Optional.of(refusal(request, localTag, e.fault().sipStatus(), e.fault() == MalformedSdp.Fault.SYNTAX
                    ? "Bad Request (malformed SDP)" : "Not Acceptable Here", e.getMessage()));
        }
        for (MsrpMedia media : streams) {
            if (media.file().isEmpty()) {
                continue;
            }
            FileTransfer file = media.file().get();
            OptionalLong size = file.fileSize();
            if (settings.maxFileBytes() > 0 && size.isPresent() && size.getAsLong() > settings.maxFileBytes()) {
                return Optional.of(refusal(request, localTag, 488, "Not Acceptable Here (file too large)", "file of "
                        + size.getAsLong() + " bytes is over the limit of " + settings.maxFileBytes() + " bytes"));
            }
            OptionalLong sent = file.octetsSent();
            if (settings.maxMessageBytes() > 0 && sent.isPresent() && sent.getAsLong() > settings.maxMessageBytes()) {
                return Optional.of(refusal(request, localTag, 488, "Not Acceptable Here (file too large)",
                        sent.getAsLong() + " bytes of the file would go in one message, over the session's limit of "
                                + settings.maxMessageBytes() + " bytes"));
            }
        }
        return Optional.empty();
    }

    private static boolean sdpBody(org.parley.sip.message.SipMessage m) {
        return m.body().length > 0 && m.contentType().map(t -> t.toLowerCase(Locale.ROOT).startsWith("application/sdp"))
                .orElse(false);
    }

    /**
     * RFC 4028 §8.1 as a proxy: a Session-Expires below Parley's Min-SE is refused (empty); none
     * gets Parley's; a longer one is lowered to it, but never below the Min-SE the request names.
     */
    private Optional<SipRequest> withSessionTimer(SipRequest invite, String localTag) {
        long ours = settings.sessionExpires().toSeconds();
        long min = settings.minSessionExpires().toSeconds();
        long theirMin = invite.header(MIN_SE).flatMap(SessionExpires::parse).map(SessionExpires::seconds).orElse(0L);
        Optional<SessionExpires> asked = invite.header(SESSION_EXPIRES).flatMap(SessionExpires::parse);
        if (asked.isPresent() && asked.get().seconds() < min) {
            return Optional.empty();
        }
        SessionExpires granted = asked.map(a -> a.seconds() > ours ? a.withSeconds(Math.max(ours, theirMin)) : a)
                .orElse(new SessionExpires(Math.max(ours, theirMin), Optional.empty()));
        Headers h = invite.headers().set(SESSION_EXPIRES, granted.toString())
                .set(MIN_SE, Long.toString(Math.max(min, theirMin)));
        return Optional.of(invite.withHeaders(h));
    }

    private SipResponse tooSmall(SipRequest invite, String localTag) {
        return invite.createResponse(422, "Session Interval Too Small", localTag)
                .withHeader(MIN_SE, Long.toString(settings.minSessionExpires().toSeconds()));
    }

    private SipResponse refusal(SipRequest request, String localTag, int status, String reason, String why) {
        log.debug("chat {} {} refused {}: {}", request.method(), request.callId(), status, why);
        return request.createResponse(status, reason, localTag)
                .withHeader(HeaderNames.WARNING, "399 " + domain + " \"" + why.replace("\"", "'") + "\"");
    }

    @Override
    public SipResponse answered(SipRequest request, SipResponse response, Flow requester) {
        boolean inDialog = request.to().tag().isPresent();
        if (request.isMethod("INVITE") && !inDialog) {
            Offer offer = offers.remove(request.callId());
            if (offer == null || !response.isSuccess()) {
                return response;
            }
            SipResponse ok = timerInAnswer(request, response);
            established(offer, ok);
            return ok;
        }
        ChatSession s = byCallId.get(request.callId());
        if (s == null || !inDialog || !sameDialog(s, request)) {
            return response;
        }
        s.saw(request.from().tag().orElse(""), request.cseq().number());
        if (request.isMethod("BYE")) {
            end(s, End.BYE);
        } else if ((request.isMethod("INVITE") || request.isMethod("UPDATE")) && response.isSuccess()) {
            // a refresh (RFC 4028 §10) or a change of the session (RFC 4975 §5.4): the same session, its same record
            SipResponse ok = timerInAnswer(request, response);
            armSessionTimer(s, ok);
            moved(s, request, ok, requester);
            return ok;
        }
        // a refused re-INVITE (488, 491...) leaves the session as it was (RFC 3261 §14.1)
        return response;
    }

    /**
     * RFC 4028 §8.2: a 2xx without Session-Expires to a request that carried one (ours or the
     * UAC's) comes from a UAS that does not do session timers. If the UAC does (Supported: timer)
     * the proxy puts the request's interval into the response with refresher=uac and Require:
     * timer, so the UAC knows it refreshes; otherwise nobody would refresh, and the response
     * goes as it came: no session timer runs (the session still ends by BYE, a vanished device or
     * the operator's maximum).
     */
    private static SipResponse timerInAnswer(SipRequest request, SipResponse ok) {
        if (ok.headers().has(SESSION_EXPIRES) || !supportsTimer(request)) {
            return ok;
        }
        return request.header(SESSION_EXPIRES).flatMap(SessionExpires::parse)
                .map(asked -> ok.withHeader(SESSION_EXPIRES, new SessionExpires(asked.seconds(), Optional.of("uac"))
                        .toString()).withHeader(HeaderNames.REQUIRE, "timer"))
                .orElse(ok);
    }

    private static boolean supportsTimer(SipRequest request) {
        return request.headers().values(HeaderNames.SUPPORTED).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .anyMatch(option -> option.strip().equalsIgnoreCase("timer"));
    }

    /**
     * A re-INVITE or UPDATE accepted in either direction (RFC 3261 §14, RFC 4975 §5.4): the
     * requester's paths are those of its offer, the responder's those of the answer, each side's
     * Contact its new remote target (§12.2), and the requester's connection where it is reached. The relay URIs watched for the end
     * of the session, the URIs the session's traffic and limits are counted on, follow; a side
     * whose SDP did not come through here (no body: the offer is in the 2xx, the answer in the
     * ACK) keeps its paths.
     */
    private void moved(ChatSession s, SipRequest request, SipResponse ok, Flow requester) {
        boolean fromCaller = s.isCaller(request.from().tag().orElse(""));
        Optional<List<MsrpMedia>> offered = streams(request);
        Optional<List<MsrpMedia>> answered = streams(ok);
        if (offered.isEmpty() && answered.isEmpty()) {
            return;
        }
        unindex(s);
        ChatSession.Party requesterSide = fromCaller ? s.caller() : s.callee();
        ChatSession.Party moved = offered.map(streams -> requesterSide.moved(
                contact(request).map(Address::uri).orElse(requesterSide.contact()), Target.of(requester),
                relayUris(streams), endpoints(streams))).orElse(requesterSide);
        ChatSession.Party responderSide = fromCaller ? s.callee() : s.caller();
        ChatSession.Party answering = answered.map(streams -> responderSide.moved(
                contact(ok).map(Address::uri).orElse(responderSide.contact()), responderSide.target(),
                relayUris(streams), endpoints(streams))).orElse(responderSide);
        if (fromCaller) {
            s.caller(moved);
            s.callee(answering);
        } else {
            s.callee(moved);
            s.caller(answering);
        }
        index(s);
        if (s.ended()) {
            unindex(s); // ended meanwhile: nothing may find it any more
        }
        log.debug("chat session {} now on {} and {}", s.callId, s.caller().endpoints(), s.callee().endpoints());
    }

    /** The MSRP streams of a message's SDP; empty when it has none or cannot be read (nothing to follow). */
    private static Optional<List<MsrpMedia>> streams(org.parley.sip.message.SipMessage m) {
        if (!sdpBody(m)) {
            return Optional.empty();
        }
        try {
            List<MsrpMedia> streams = SessionDescription.parse(m.body()).msrp();
            return streams.isEmpty() ? Optional.empty() : Optional.of(streams);
        } catch (MalformedSdp e) {
            return Optional.empty();
        }
    }

    private static boolean sameDialog(ChatSession s, SipRequest r) {
        String from = r.from().tag().orElse("");
        String to = r.to().tag().orElse("");
        return from.equals(s.callerTag()) && to.equals(s.calleeTag()) || from.equals(s.calleeTag()) && to.equals(s.callerTag());
    }

    private void established(Offer offer, SipResponse ok) {
        SipRequest invite = offer.invite();
        List<MsrpMedia> answer = streams(ok).orElse(List.of());
        if (answer.isEmpty()) {
            log.debug("answer of chat {} unreadable, its relay traffic is not tracked", invite.callId());
        }
        Optional<Address> contact = contact(ok);
        Optional<Address> callerContact = contact(invite);
        if (contact.isEmpty() || callerContact.isEmpty() || !(contact.get().uri() instanceof SipUri)) {
            log.debug("chat {} has no usable Contact; not tracked", invite.callId());
            return;
        }
        Optional<String> callerUser = identities.resolve(invite.from().uri()).map(Account::username);
        Optional<String> calleeUser = identities.resolve(invite.to().uri()).map(Account::username);
        ChatSession.Party caller = new ChatSession.Party(invite.from().uri().toString(),
                invite.headers().first(HeaderNames.FROM).orElseThrow(), callerContact.get().uri(),
                Target.of(offer.callerFlow()), relayUris(offer.streams()), endpoints(offer.streams()),
                callerUser, callerUser.map(archive::keepsSessions).orElse(false));
        ChatSession.Party callee = new ChatSession.Party(invite.to().uri().toString(),
                ok.headers().first(HeaderNames.TO).orElseThrow(), contact.get().uri(),
                locator.byContact(contact.get().uri()).map(ct -> Target.of(ct.flow())).orElse(reach(contact.get().uri())),
                relayUris(answer), endpoints(answer), calleeUser, calleeUser.map(archive::keepsSessions).orElse(false));
        boolean file = offer.media().file().isPresent();
        String type = offer.media().file().flatMap(f -> f.selector().type())
                .orElse(file ? "application/octet-stream" : offer.media().acceptTypes().getFirst());
        ChatSession s = new ChatSession(invite.callId(), caller, callee, scheduler.now(), type, file,
                offer.media().file().flatMap(FileTransfer::range), invite.cseq().number());
        byCallId.put(s.callId, s);
        index(s);
        armSessionTimer(s, ok);
        if (!settings.maxDuration().isZero()) {
            s.durationTimer(scheduler.later(settings.maxDuration(), () -> end(s, End.MAX_DURATION)));
        }
        log.debug("chat session {} from {} to {} established", s.callId, caller.aor(), callee.aor());
    }

    /** A Contact that is not a registered one (a GRUU, a device's other address): its host, port and transport. */
    private static Target reach(Uri contact) {
        if (!(contact instanceof SipUri u)) {
            throw new IllegalArgumentException("not a SIP contact: " + contact);
        }
        Transport t = u.transport().flatMap(Transport::fromVia).orElse(u.secure() ? Transport.TLS : Transport.UDP);
        String host = u.host().startsWith("[") ? u.host().substring(1, u.host().length() - 1) : u.host();
        return Target.of(t, new InetSocketAddress(host, u.port() >= 0 ? u.port() : t.secure() ? 5061 : 5060));
    }

    /** The relays of the paths: every URI but the last, which is the endpoint's own (RFC 4975 §8.1, RFC 4976 §6). */
    private static List<MsrpUri> relayUris(List<MsrpMedia> streams) {
        return streams.stream().flatMap(m -> m.path().subList(0, m.path().size() - 1).stream()).distinct().toList();
    }

    private static List<MsrpUri> endpoints(List<MsrpMedia> streams) {
        return streams.stream().map(MsrpMedia::endpoint).distinct().toList();
    }

    /** What the relay's callbacks find the session by: the relay URIs watched, the endpoints counted. */
    private void index(ChatSession s) {
        for (ChatSession.Party p : List.of(s.caller(), s.callee())) {
            p.relayUris().forEach(u -> byRelayUri.compute(u, (k, sessions) -> {
                Set<ChatSession> in = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
                in.add(s);
                return in;
            }));
            p.endpoints().forEach(e -> byEndpoint.put(e, s));
        }
    }

    private void unindex(ChatSession s) {
        for (ChatSession.Party p : List.of(s.caller(), s.callee())) {
            p.endpoints().forEach(e -> byEndpoint.remove(e, s));
            p.relayUris().forEach(u -> byRelayUri.computeIfPresent(u, (k, sessions) -> {
                sessions.remove(s);
                return sessions.isEmpty() ? null : sessions;
            }));
        }
    }

    private static Optional<Address> contact(org.parley.sip.message.SipMessage m) {
        try {
            return m.headers().first(HeaderNames.CONTACT).map(c -> Address.parseList(c).getFirst());
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /**
     * RFC 4028 §10: the session lapses when no refresh comes within Session-Expires of the last
     * one; the 2xx says the interval the two sides agreed. Without one there is no session timer.
     */
    private void armSessionTimer(ChatSession s, SipResponse ok) {
        ok.header(SESSION_EXPIRES).flatMap(SessionExpires::parse).ifPresent(se ->
                s.lapseTimer(scheduler.later(Duration.ofSeconds(se.seconds()), () -> end(s, End.SESSION_TIMER))));
    }

    // ------------------------------------------------------------------ the relay's side

    @Override
    public Optional<Refusal> relaying(MsrpUri sender, MsrpUri receiver, MsrpRequest request) {
        List<MsrpUri> to = request.toPath();
        ChatSession s = to.isEmpty() ? null : byEndpoint.get(to.getLast());
        if (s == null || !request.method().equals(MsrpRequest.SEND)) {
            return Optional.empty();
        }
        Optional<ByteRange> range = request.header(MsrpMessage.BYTE_RANGE).flatMap(ByteRange::parse);
        long max = settings.maxMessageBytes();
        if (max > 0 && range.isPresent() && (range.get().total() > max || range.get().end() > max)) {
            return Optional.of(new Refusal(413, "message larger than the session allows (" + max + " bytes)"));
        }
        boolean file = !s.fileTransfer && request.header(MsrpMessage.CONTENT_TYPE).map(ChatSessions::isFile).orElse(false);
        boolean first = range.map(r -> r.start() == 1).orElse(true);
        if (file && first && settings.maxFiles() > 0 && s.files.get() >= settings.maxFiles()) {
            return Optional.of(new Refusal(403, "the session has carried its " + settings.maxFiles() + " files"));
        }
        s.bytes.addAndGet(request.hasBody() ? request.body().length : 0);
        if (request.continuation() == MsrpRequest.COMPLETE) {
            s.messages.incrementAndGet();
            if (file) {
                s.files.incrementAndGet();
            }
        }
        boolean toCallee = s.callee().endpoints().contains(to.getLast());
        keep(s, toCallee ? s.caller() : s.callee(), toCallee ? s.callee() : s.caller(), request);
        return Optional.empty();
    }

    /**
     * PP-38, PP-42: a message is kept for its recipient when the operator keeps all, and for each
     * party that asked for its sessions to be kept. Written off the relay's I/O thread.
     */
    private void keep(ChatSession s, ChatSession.Party from, ChatSession.Party to, MsrpRequest request) {
        List<String> owners = new ArrayList<>();
        if ((settings.storeAll() || to.keeps()) && to.user().isPresent()) {
            owners.add(to.user().get());
        }
        if (from.keeps() && from.user().isPresent()) {
            owners.add(from.user().get());
        }
        Optional<String> messageId = request.header(MsrpMessage.MESSAGE_ID);
        if (owners.isEmpty() || messageId.isEmpty()) {
            return;
        }
        Optional<byte[]> whole = s.keep(messageId.get(), request.hasBody() ? request.body() : new byte[0],
                request.continuation(), settings.storeMaxBytes());
        if (whole.isEmpty()) {
            return;
        }
        String type = request.header(MsrpMessage.CONTENT_TYPE).orElse("application/octet-stream");
        Instant now = scheduler.now();
        scheduler.workers().execute(() -> {
            for (String owner : owners) {
                try {
                    archive.store(new SessionMessage(UUID.randomUUID(), owner, s.callId, from.aor(), to.aor(),
                            messageId.get(), type, now, whole.get()));
                } catch (RuntimeException e) {
                    log.warn("session message {} of {} not kept for {}: {}", messageId.get(), s.callId, owner, e.toString());
                }
            }
        });
    }

    /** Text, CPIM-wrapped text and the notifications of RFC 3994 / RFC 5438 are messages; other content is a file. */
    private static boolean isFile(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT).strip();
        return !(t.startsWith("text/") || t.startsWith("message/cpim") || t.startsWith("message/imdn+xml")
                || t.startsWith("application/im-iscomposing+xml"));
    }

    /** Only sessions this server routed are counted, kept and limited: their parties' relay URIs are indexed. */
    @Override
    public boolean watches(MsrpUri sender, MsrpUri receiver) {
        return byRelayUri.containsKey(sender) || byRelayUri.containsKey(receiver);
    }

    @Override
    public void ended(MsrpUri uri) {
        Set<ChatSession> sessions = byRelayUri.remove(uri);
        if (sessions != null) {
            // never on the relay's I/O thread: ending sends BYEs and writes a usage record
            List<ChatSession> gone = new ArrayList<>(sessions);
            scheduler.workers().execute(() -> gone.forEach(s -> end(s, End.VANISHED)));
        }
    }

    // ------------------------------------------------------------------ the end of a session

    private void end(ChatSession s, End why) {
        if (!s.end()) {
            return;
        }
        byCallId.remove(s.callId, s);
        unindex(s);
        ChatSession.Party caller = s.caller();
        ChatSession.Party callee = s.callee();
        if (why != End.BYE) {
            // the server ends the dialog for both sides, each BYE as if from the other (RFC 3261 §15.1.1)
            bye(s, callee, caller, s.nextCalleeCseq(), why);
            bye(s, caller, callee, s.nextCallerCseq(), why);
        }
        Instant now = scheduler.now();
        log.info("chat session {} from {} to {} ended ({}): {} messages, {} bytes, {} files", s.callId, caller.aor(),
                callee.aor(), why.label, s.messages.get(), s.bytes.get(), s.files.get());
        try {
            usage.record(new UsageRecord(now, UsageEvent.SESSION, caller.aor(), callee.aor(), s.bytes.get(),
                    s.contentType, s.started, Optional.of(now), Optional.empty(), Optional.empty(), s.callId,
                    Optional.of("messages=" + s.messages.get() + " files=" + s.files.get() + " ended=" + why.label
                            + s.fileRange.map(r -> " file-range=" + r).orElse(""))));
        } catch (RuntimeException e) {
            log.warn("usage record of chat session {} not written: {}", s.callId, e.toString());
        }
    }

    private void bye(ChatSession s, ChatSession.Party as, ChatSession.Party to, long cseq, End why) {
        UserAgent.Dialog dialog = new UserAgent.Dialog(s.callId, as.address(), to.address(), to.contact(), List.of(),
                null);
        String reason = "SIP;cause=" + why.cause + ";text=\"" + why.text
                + (why == End.MAX_DURATION ? " (" + settings.maxDuration().toSeconds() + " s)" : "") + "\"";
        SipRequest bye = UserAgent.request(dialog, "BYE", cseq, Headers.EMPTY.append("Reason", reason), "",
                new byte[0]);
        agent.send(bye, to.target(), r -> log.debug("BYE of chat session {} to {}: {}", s.callId,
                to.aor(), r.status()));
    }
}
