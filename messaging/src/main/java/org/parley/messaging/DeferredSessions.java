package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.parley.accounts.Account;
import org.parley.messaging.store.Limits;
import org.parley.messaging.store.Quota;
import org.parley.msrp.MsrpUri;
import org.parley.msrp.sdp.Connection;
import org.parley.msrp.sdp.FileTransfer;
import org.parley.msrp.sdp.MalformedSdp;
import org.parley.msrp.sdp.MsrpMedia;
import org.parley.msrp.sdp.Origin;
import org.parley.msrp.sdp.SessionDescription;
import org.parley.msrp.session.MessageRefused;
import org.parley.msrp.session.MsrpEndpoint;
import org.parley.msrp.session.MsrpSession;
import org.parley.msrp.session.SessionListener;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deferred delivery in session form (MU-3; OMA SIMPLE IM deferred messaging and large message
 * mode to a user offline): an INVITE offering an MSRP stream to a user with no device registered
 * is answered by Parley on the user's behalf. The 200 names Parley's own MSRP endpoint and says
 * in a Warning that the session is deferred; every whole message the sender then SENDs is stored
 * in the offline store, as a pager-mode message from that sender would be, before its chunk is
 * answered 200 — and goes out, in order, when the user registers. "Is typing" is dropped.
 *
 * <p>The sender's INVITE passes the same checks as a MESSAGE: authentication, the operator's
 * switches, the recipient's block list, delivery switch and do not disturb (480, with the
 * recipient told of the attempt). The recipient's offline quota bounds each message (413 on the
 * chunk that would not fit).
 */
final class DeferredSessions implements LocalService {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredSessions.class);
    static final String DEFERRED_WARNING = "The recipient is offline: the messages of this session are stored "
            + "and delivered when they come back (deferred delivery)";
    /** Parley only receives in a deferred session: a chunk size is needed all the same. */
    private static final int CHUNK_BYTES = 2048;
    /**
     * What devices answer when they cannot take a session now (RFC 3261 §21.4.9, §21.4.18,
     * §21.4.24; RFC 5626 §11): the session is deferred instead. Never a decline (6xx).
     */
    private static final Set<Integer> UNAVAILABLE = Set.of(408, 430, 480, 486);
    /** How often sessions gone quiet are looked for. */
    static final Duration SWEEP = Duration.ofMinutes(1);

    private final MessagingSettings settings;
    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final RequestAuthenticator senders;
    private final PagerService pager;
    private final Mailbox mailbox;
    private final UserAgent userAgent;
    private final Scheduler scheduler;
    private final Supplier<MsrpEndpoint> endpoint;
    private final Duration idleTimeout;
    /** Open deferred sessions by Call-ID (one dialog per INVITE: Parley never forks them). */
    private final Map<String, Deferred> open = new ConcurrentHashMap<>();

    /** One session Parley answered: who sends, for whom, the dialog, and the MSRP end it listens on. */
    private final class Deferred implements SessionListener {
        final SipRequest invite;
        final String senderAor;
        final String recipientAor;
        final String access;
        final boolean anonymous;
        final String localTag;
        final Quota quota;
        final Limits senderLimits;
        final MsrpEndpoint endpoint;
        final MsrpSession msrp;
        volatile Instant lastActive;

        Deferred(SipRequest invite, String senderAor, String recipientAor, String access,
                 boolean anonymous, String localTag, Quota quota, Limits senderLimits, MsrpEndpoint endpoint,
                 MsrpUri local, List<MsrpUri> remotePath) {
            this.invite = invite;
            this.senderAor = senderAor;
            this.recipientAor = recipientAor;
            this.access = access;
            this.anonymous = anonymous;
            this.localTag = localTag;
            this.quota = quota;
            this.senderLimits = senderLimits;
            this.endpoint = endpoint;
            this.msrp = new MsrpSession(local, remotePath, List.of("*"), endpoint.maxMessageBytes(), CHUNK_BYTES, this);
            this.lastActive = scheduler.now();
        }

        /**
         * A whole message: stored (committed) before this returns, so the chunk's 200 means it is
         * durable; an indication is dropped; a type the sender may not send is 415, a full store 413.
         */
        @Override
        public void message(MsrpSession session, String messageId, String contentType, byte[] content) {
            Instant now = scheduler.now();
            lastActive = now;
            if (IsComposing.is(contentType, content)) {
                return;
            }
            String type = PagerService.baseType(contentType);
            if (!senderLimits.allowedContentTypes().isEmpty() && !senderLimits.allowedContentTypes().contains(type)) {
                throw new MessageRefused(415, "Content type " + type + " is not allowed");
            }
            SipRequest message = pager.withIdentity(asMessage(contentType, content), senderAor, anonymous);
            Submission s = new Submission(message, senderAor, recipientAor, access, now);
            if (!mailbox.storeDeferred(message, s, now.plus(settings.defaultExpiry()), quota)) {
                throw new MessageRefused(413, "The recipient's message store is full");
            }
        }

        /**
         * The message as the pager mode stores one (MU-3): a MESSAGE from the sender as the
         * INVITE named them, with the INVITE's Via (a valid request; dropped on delivery like any
         * stored message's), the content byte for byte — a CPIM wrapper keeps its own From.
         */
        private SipRequest asMessage(String contentType, byte[] content) {
            String from = invite.header(HeaderNames.FROM).orElseThrow().replaceAll(";\\s*tag=[^;]*", "");
            Headers via = Headers.EMPTY;
            for (String v : invite.headers().values(HeaderNames.VIA)) {
                via = via.append(HeaderNames.VIA, v);
            }
            return UserAgent.request("MESSAGE", SipUri.parse(recipientAor), from, "<" + recipientAor + ">", via,
                    contentType, content);
        }
    }

    DeferredSessions(MessagingSettings settings, LocalDomains domains, IdentityResolver identities,
                     RequestAuthenticator senders, PagerService pager, Mailbox mailbox, UserAgent userAgent,
                     Scheduler scheduler, Supplier<MsrpEndpoint> endpoint, Duration idleTimeout) {
        this.settings = settings;
        this.domains = domains;
        this.identities = identities;
        this.senders = senders;
        this.pager = pager;
        this.mailbox = mailbox;
        this.userAgent = userAgent;
        this.scheduler = scheduler;
        this.endpoint = endpoint;
        this.idleTimeout = idleTimeout;
    }

    /**
     * A new INVITE with an MSRP offer for a user of ours who has no device registered, or a BYE of
     * a deferred session; everything else takes the proxy's way (an INVITE for a user online is
     * forked to their devices like any session, large message mode included).
     */
    @Override
    public boolean accepts(SipRequest request) {
        if (request.isMethod("BYE")) {
            return open.containsKey(request.callId());
        }
        if (!request.isMethod("INVITE") || request.to().tag().isPresent() || endpoint.get() == null
                || !offersMsrp(request)) {
            return false;
        }
        return identities.resolve(request.requestUri())
                .filter(a -> !mailbox.reachable(domains.aorOf(a.username()))).isPresent();
    }

    /** A quick look before any parsing: the body is SDP with an m=message line. */
    private static boolean offersMsrp(SipRequest request) {
        return request.contentType().map(PagerService::baseType).filter("application/sdp"::equals).isPresent()
                && new String(request.body(), StandardCharsets.UTF_8).contains("m=message ");
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        if (tx.request().isMethod("BYE")) {
            bye(tx);
        } else {
            invite(tx);
        }
        return ANSWERED;
    }

    private void invite(ServerTransaction tx) {
        SipRequest req = tx.request();
        String tag = tx.localTag();
        if (!settings.submissionEnabled()) {
            tx.respond(req.createResponse(403, "Messaging is switched off by the operator", tag));
            return;
        }
        RequestAuthenticator.Outcome who = senders.check(req, tx.flow(), tag, scheduler.now());
        if (who.refusal() != null) {
            who.refuse(tx);
            return;
        }
        Optional<Account> recipient = identities.resolve(req.requestUri());
        if (recipient.isEmpty()) {
            tx.respond(req.createResponse(404, "Not Found", tag));
            return;
        }
        defer(tx, who.sender().orElseThrow(), recipient.get(), Optional.empty());
    }

    /**
     * Every device of the recipient was tried and none took the session: busy (486), unavailable
     * (480), no answer in time (408) or gone (430 Flow Failed, RFC 5626). Parley then answers on
     * the recipient's behalf as for a recipient with no device, so nothing the sender has to say is
     * lost. A decline (603, any 6xx) is the user's no and is relayed, as is any other answer; so
     * are sessions whose sender the router could not name (anonymous From: the account behind it
     * is not known here) and requests to a device's contact rather than to a user.
     */
    @Override
    public boolean takesOver(ServerTransaction tx, SipResponse best) {
        SipRequest req = tx.request();
        if (!UNAVAILABLE.contains(best.status()) || endpoint.get() == null || !offersMsrp(req)
                || RequestAuthenticator.isAnonymous(req.from())) {
            return false;
        }
        scheduler.workers().execute(() -> {
            try {
                // the router authenticated the sender and checked that From names its account
                Optional<Account> sender = identities.resolve(req.from().uri());
                Optional<Account> recipient = identities.resolve(req.requestUri());
                if (sender.isPresent() && recipient.isPresent() && settings.submissionEnabled()) {
                    defer(tx, sender.get(), recipient.get(), Optional.of(best));
                } else {
                    tx.respond(best);
                }
            } catch (RuntimeException e) {
                LOG.warn("session {} not deferred after {}: {}", req.callId(), best.status(), e.toString());
                tx.respond(best);
            }
        });
        return true;
    }

    /**
     * Answers the session on the recipient's behalf, unless the sender or the recipient's rules
     * refuse it (answered with their refusal) or the offer is unusable (answered with why — or,
     * after the devices were tried, with their own answer {@code devices}).
     */
    private void defer(ServerTransaction tx, Account sender, Account recipient, Optional<SipResponse> devices) {
        SipRequest req = tx.request();
        String tag = tx.localTag();
        Instant now = scheduler.now();
        MsrpMedia offer;
        try {
            offer = SessionDescription.parse(req.body()).chat();
        } catch (MalformedSdp e) {
            tx.respond(devices.orElse(req.createResponse(e.fault().sipStatus(), e.getMessage(), tag)));
            return;
        }
        if (offer.direction() == MsrpMedia.Direction.RECVONLY || offer.direction() == MsrpMedia.Direction.INACTIVE) {
            tx.respond(devices.orElse(
                    req.createResponse(488, "A deferred session only takes messages: the offer sends none", tag)));
            return;
        }
        if (offer.file().map(FileTransfer::partial).orElse(false)) {
            // what is stored goes out later as one whole message: a part of a file would reach the recipient as a broken file
            tx.respond(devices.orElse(req.createResponse(488, "Not Acceptable Here (part of a file)", tag)
                    .withHeader(HeaderNames.WARNING, "399 " + domains.domain() + " \"The recipient is offline and Parley"
                            + " keeps only whole files for them: offer the whole file, not a=file-range:"
                            + offer.file().get().range().orElseThrow() + " (RFC 5547 section 6)\"")));
            return;
        }
        MsrpEndpoint msrpEnd = endpoint.get();
        Optional<MsrpUri> local = msrpEnd.newUri(offer.listenerTransport());
        if (local.isEmpty()) {
            tx.respond(devices.orElse(req.createResponse(488, "Parley's MSRP endpoint does not listen on "
                    + offer.listenerTransport() + " (msrp.endpoint.*)", tag)));
            return;
        }
        String senderAor = domains.aorOf(sender.username());
        String recipientAor = domains.aorOf(recipient.username());
        boolean anonymous = PagerService.anonymous(req);
        Submission s = new Submission(req, senderAor, recipientAor, PagerService.access(tx.flow(), req), now);
        // after the devices were tried, the recipient already knows of the attempt: no "attempted contact" notice
        Optional<SipResponse> refusal = pager.identityRefusal(s, sender, anonymous, tag)
                .or(() -> pager.recipientRefusal(s, sender, recipient, anonymous, devices.isEmpty(), tag));
        if (refusal.isPresent()) {
            tx.respond(refusal.get());
            return;
        }
        String why = devices.map(d -> "The recipient's devices did not take the session (" + d.status() + " "
                + d.reason().replace("\"", "'") + "): its messages are stored and delivered later (deferred delivery)")
                .orElse(DEFERRED_WARNING);
        Deferred session = new Deferred(req, senderAor, recipientAor, s.senderAccess(), anonymous, tag,
                pager.limitsOf(recipient).offlineQuota(), pager.limitsOf(sender), msrpEnd, local.get(),
                offer.path());
        msrpEnd.sessions().add(session.msrp);
        open.put(req.callId(), session);
        tx.respond(req.createResponse(200, "OK", tag)
                .withHeader(HeaderNames.CONTACT, userAgent.contact(recipientAor, tx.flow()))
                .withHeader(HeaderNames.WARNING, "399 " + domains.domain() + " \"" + why + "\"")
                .withBody("application/sdp", answer(offer, local.get(), msrpEnd.maxMessageBytes()).write()
                        .getBytes(StandardCharsets.UTF_8)));
        LOG.info("deferred session {} from {} for {} on {}", req.callId(), senderAor, recipientAor, local.get());
    }

    /**
     * RFC 4975 §8, RFC 3264 §6: Parley's URI as the path, anything accepted (the store takes any
     * content; the sender's allowed types are checked per message), receive only, and passive
     * (RFC 6135: the offerer connects to us).
     */
    private SessionDescription answer(MsrpMedia offer, MsrpUri local, long maxMessageBytes) {
        MsrpMedia media = new MsrpMedia(local.port(), offer.tls(), List.of("*"), Connection.of(local.host()),
                List.of(local), List.of("*"), List.of(), OptionalLong.of(maxMessageBytes),
                Optional.of(MsrpMedia.Setup.PASSIVE), MsrpMedia.Direction.RECVONLY, Optional.empty(), List.of());
        long now = scheduler.now().getEpochSecond();
        return SessionDescription.of(new Origin("parley", Long.toString(now), now, Connection.of(local.host())), media);
    }

    /** RFC 3261 §15.1.2: the sender ends the session; a BYE from anyone else's dialog is 481. */
    private void bye(ServerTransaction tx) {
        SipRequest req = tx.request();
        Deferred session = open.get(req.callId());
        if (session == null || !req.to().tag().filter(session.localTag::equals).isPresent()
                || !req.from().tag().equals(session.invite.from().tag())) {
            tx.respond(req.createResponse(481, "Call/Transaction Does Not Exist", tx.localTag()));
            return;
        }
        end(session);
        tx.respond(req.createResponse(200, "OK", tx.localTag()));
    }

    private void end(Deferred session) {
        if (open.remove(session.invite.callId(), session)) {
            session.endpoint.sessions().remove(session.msrp);
        }
    }

    /**
     * Sessions whose sender went quiet for the MSRP idle timeout end without a BYE: their
     * connection is gone (the endpoint closes idle ones), and a later SEND gets 481 (RFC 4975 §7.3).
     */
    void sweep() {
        Instant before = scheduler.now().minus(idleTimeout);
        open.values().stream().filter(d -> d.lastActive.isBefore(before)).forEach(this::end);
    }

}
