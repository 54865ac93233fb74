package org.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.accounts.Account;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.Limits;
import org.parley.messaging.store.MessagingControls;
import org.parley.messaging.store.Quota;
import org.parley.messaging.store.UsageEvent;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.Ids;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transport.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging server for pager-mode IM (RFC 3428; C2): every MESSAGE for a user of this domain
 * comes here. The sender is authenticated, the operator's and the recipient's controls and the
 * limits applied, then the message goes to every device of the recipient — or, when none takes
 * it, is stored durably and answered 202 (UC 5.13 alternative flow, MU-3).
 */
public final class PagerService implements LocalService {
    private static final Logger LOG = LoggerFactory.getLogger(PagerService.class);
    /** The feature tag of OMA SIMPLE IM's large message mode (Accept-Contact of the INVITE, RFC 3841). */
    public static final String LARGE_MESSAGE_TAG = "+g.oma.sip-im.large-message";

    private final MessagingSettings settings;
    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final RequestAuthenticator senders;
    private final ControlsStore controls;
    private final MessageLimiter limiter;
    private final Mailbox mailbox;
    private final Notices notices;
    private final Usage usage;
    private final Scheduler scheduler;
    private final StoredLists storedLists;
    private final CpimSender cpimSender;
    private volatile Availability availability = Availability.UNKNOWN;

    PagerService(MessagingSettings settings, LocalDomains domains, IdentityResolver identities, RequestAuthenticator senders,
                 ControlsStore controls, MessageLimiter limiter, Mailbox mailbox, Notices notices, Usage usage,
                 Scheduler scheduler, StoredLists storedLists) {
        this.storedLists = storedLists;
        this.settings = settings;
        this.domains = domains;
        this.identities = identities;
        this.cpimSender = new CpimSender(identities);
        this.senders = senders;
        this.controls = controls;
        this.limiter = limiter;
        this.mailbox = mailbox;
        this.notices = notices;
        this.usage = usage;
        this.scheduler = scheduler;
    }

    @Override
    public boolean accepts(SipRequest request) {
        return request.isMethod("MESSAGE")
                && (RecipientList.isFor(request) || identities.resolve(request.requestUri()).isPresent());
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        SipRequest req = tx.request();
        return serve(tx, RecipientList.isFor(req) ? null : identities.resolve(req.requestUri()).orElseThrow());
    }

    /** {@link #accepts} and {@link #serve} with the recipient's account resolved once (issue 13). */
    @Override
    public CompletionStage<Void> offer(ServerTransaction tx, SipRequest request) {
        if (!request.isMethod("MESSAGE")) {
            return DECLINED;
        }
        if (RecipientList.isFor(request)) {
            return serve(tx, null);
        }
        Optional<Account> recipient = identities.resolve(request.requestUri());
        return recipient.isPresent() ? serve(tx, recipient.get()) : DECLINED;
    }

    /** {@code recipient} is null for a recipient list (RFC 5365), whose recipients are resolved one by one. */
    private CompletionStage<Void> serve(ServerTransaction tx, Account recipient) {
        SipRequest req = tx.request();
        Instant now = scheduler.now();
        String tag = tx.localTag();
        if (!settings.submissionEnabled()) {
            tx.respond(req.createResponse(403, "Messaging is switched off by the operator", tag));
            return ANSWERED;
        }
        RequestAuthenticator.Outcome who = senders.check(req, tx.flow(), tag, now);
        if (who.refusal() != null) {
            who.refuse(tx);
            return ANSWERED;
        }
        Account sender = who.sender().orElseThrow();
        String access = access(tx.flow(), req);
        if (recipient == null) {
            explode(tx, req, sender, access, now);
            return ANSWERED;
        }
        return submit(req, sender, recipient, access, now, tag).thenAccept(tx::respond);
    }

    /**
     * One message to one recipient: the controls and limits, then delivery or the store.
     * Completes with the final answer for the sender, exceptionally when nothing could be done.
     */
    private CompletableFuture<SipResponse> submit(SipRequest req, Account sender, Account recipient, String access,
                                                  Instant now, String tag) {
        Submission s = new Submission(req, domains.aorOf(sender.username()), domains.aorOf(recipient.username()),
                access, now);
        if (IsComposing.is(req.contentType().orElse("text/plain"), req.body())) {
            return indication(s, sender, recipient, tag);
        }
        // each party's controls and the request's anonymity are looked up once per message
        MessagingControls senders = controls.get(sender.username());
        MessagingControls theirs = controls.get(recipient.username());
        boolean anonymous = anonymous(req);
        Optional<SipResponse> refusal = identityRefusal(req, sender, senders, anonymous, tag)
                .or(() -> limitRefusal(req, sender, limits(senders), s.at(), tag))
                .or(() -> recipientRefusal(s, sender, theirs, anonymous, true, tag));
        if (refusal.isPresent()) {
            usage.record(s, UsageEvent.REFUSED, Optional.empty(), refusal.get().status() + " " + refusal.get().reason());
            return CompletableFuture.completedFuture(refusal.get());
        }
        // no record yet: the outcome's record (DELIVERED, STORED or REFUSED, which the mailbox settles
        // exactly once) carries the submission's time too, so one row per message is enough
        // the recipient's own offline quota, when the operator gave the account limits of its own
        Quota quota = limits(theirs).offlineQuota();
        return mailbox.deliverOrStore(withIdentity(req, s.senderAor(), anonymous), s, now.plus(expiry(req)), quota, tag);
    }

    /**
     * An "is typing" indication (RFC 3994; PP-37, PP-44): checked like a message for who may send
     * it to whom, but never counted against the limits, charged or stored — it goes to the
     * devices online now, or is answered 480 (the recipient is told nothing, as with any
     * indication that has lost its moment).
     */
    private CompletableFuture<SipResponse> indication(Submission s, Account sender, Account recipient, String tag) {
        SipRequest req = s.request();
        Optional<String> problem = IsComposing.problem(req.contentType().orElseThrow(), req.body());
        if (problem.isPresent()) {
            return CompletableFuture.completedFuture(req.createResponse(400, problem.get(), tag));
        }
        boolean anonymous = anonymous(req);
        Optional<SipResponse> refusal = identityRefusal(s, sender, anonymous, tag)
                .or(() -> recipientRefusal(s, sender, recipient, anonymous, false, tag));
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(refusal.get());
        }
        return mailbox.deliverNowOnly(withIdentity(req, s.senderAor(), anonymous), s, tag);
    }

    /**
     * RFC 5365 (PP2-37, GIM-4): one MESSAGE, a copy to every listed recipient, each through the
     * same controls as a message of its own. The sender gets 202 at once and, when some
     * recipients could not be reached, a report naming them and why — a copy that failed
     * outright is reported as such, never sent again.
     */
    private void explode(ServerTransaction tx, SipRequest req, Account sender, String access, Instant now) {
        RecipientList list;
        try {
            list = RecipientList.parse(req);
        } catch (SipParseException e) {
            tx.respond(req.createResponse(400, e.getMessage(), tx.localTag()));
            return;
        }
        String senderAor = domains.aorOf(sender.username());
        List<CompletableFuture<String>> failures = new ArrayList<>();
        List<String> targets = new ArrayList<>(list.recipients());
        for (String anchor : list.storedLists()) {
            Optional<List<String>> members = storedLists.resolve(senderAor, anchor);
            if (members.isPresent()) {
                members.get().stream().filter(m -> !targets.contains(m)).forEach(targets::add);
            } else {
                failures.add(CompletableFuture.completedFuture(anchor + ": 404 no such stored list"));
            }
        }
        tx.respond(req.createResponse(202, "Accepted (sent on to " + targets.size() + " recipients)", tx.localTag()));
        for (String target : targets) {
            failures.add(Mailbox.attempt(() -> copyTo(target, list, req, sender, access, now)).handle((r, failure) -> {
                if (failure != null) {
                    LOG.error("the copy of a list message for {} failed", target, failure);
                    return target + ": 500 Server Internal Error";
                }
                return r.isSuccess() ? null : target + ": " + r.status() + " " + r.reason();
            }));
        }
        CompletableFuture.allOf(failures.toArray(CompletableFuture[]::new)).thenRun(() -> {
            List<String> failed = failures.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
            if (!failed.isEmpty()) {
                mailbox.notice(notices.text(senderAor, "Your message could not be sent to:\n" + String.join("\n", failed)),
                        senderAor);
            }
        });
    }

    /** One recipient's copy of a list message: 404 for an address that is no user here. */
    private CompletableFuture<SipResponse> copyTo(String target, RecipientList list, SipRequest req, Account sender,
                                                  String access, Instant now) {
        String tag = Ids.tag();
        Optional<Account> recipient;
        try {
            recipient = identities.resolve(Uri.parse(target));
        } catch (SipParseException e) {
            recipient = Optional.empty();
        }
        if (recipient.isEmpty()) {
            return CompletableFuture.completedFuture(req.createResponse(404, "No such user", tag));
        }
        return submit(list.copyFor(target, req), sender, recipient.get(), access, now, tag);
    }

    /**
     * PP-6, GIM-6: size is no limit of the service, only of pager mode. The 413 says so and names
     * the way on, OMA SIMPLE IM's large message mode: the same content in a one-shot MSRP session
     * (an INVITE with the {@value #LARGE_MESSAGE_TAG} feature tag) — in its reason phrase for
     * people and in a Warning (RFC 3261 §20.43, code 399) for clients that switch by themselves.
     */
    private SipResponse tooLargeForPagerMode(SipRequest req, int size, int limit, String tag) {
        return req.createResponse(413, "Message too large for pager mode: " + size + " bytes, the limit is " + limit
                        + "; send it in large message mode (an MSRP session)", tag)
                .withHeader(HeaderNames.WARNING, "399 " + domains.domain()
                        + " \"Use large message mode: INVITE with " + LARGE_MESSAGE_TAG + " and MSRP\"");
    }

    /**
     * What refuses a message whoever it is for, in rooms too: the sender's identity checks and
     * the size, content type and rate limits (MO-2, PP2-17, PP2-18); a message that passes is
     * counted against the sender's rate. Rooms judge anonymity themselves.
     */
    Optional<SipResponse> senderRefusal(SipRequest req, Account sender, Instant at, String tag) {
        MessagingControls senders = controls.get(sender.username());
        return identityRefusal(req, sender, senders, false, tag).or(() -> limitRefusal(req, sender, limits(senders), at, tag));
    }

    /**
     * The size, content type and rate limits of the sender (MO-2, PP2-17, PP2-18); a message that
     * passes is counted. Not for is-typing indications or deferred sessions, which are never counted.
     */
    private Optional<SipResponse> limitRefusal(SipRequest req, Account sender, Limits limits, Instant at, String tag) {
        int size = req.body().length;
        if (limits.maxBodyBytes() > 0 && size > limits.maxBodyBytes()) {
            return Optional.of(tooLargeForPagerMode(req, size, limits.maxBodyBytes(), tag));
        }
        String type = baseType(req.contentType().orElse("text/plain"));
        if (!limits.allowedContentTypes().isEmpty() && !limits.allowedContentTypes().contains(type)) {
            return Optional.of(req.createResponse(415, "Content type " + type + " is not allowed", tag)
                    .withHeader(HeaderNames.ACCEPT, String.join(", ", new java.util.TreeSet<>(limits.allowedContentTypes()))));
        }
        Optional<MessageLimiter.Refusal> over = limiter.admit(sender.username(), size, limits, at);
        if (over.isPresent()) {
            MessageLimiter.Refusal r = over.get();
            return Optional.of(req.createResponse(r.systemWide() ? 503 : 403, r.reason(), tag)
                    .withHeader(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, r.retryAfter().toSeconds()))));
        }
        return Optional.empty();
    }

    /** The sender's identity: a CPIM From that is not theirs, the operator's switch, anonymity where it is not allowed. */
    Optional<SipResponse> identityRefusal(Submission s, Account sender, boolean anonymous, String tag) {
        return identityRefusal(s.request(), sender, controls.get(sender.username()), anonymous, tag);
    }

    private Optional<SipResponse> identityRefusal(SipRequest req, Account sender, MessagingControls senders,
                                                  boolean anonymous, String tag) {
        Optional<CpimSender.Refusal> forged = cpimSender.check(req, sender);
        if (forged.isPresent()) {
            return Optional.of(req.createResponse(forged.get().status(), forged.get().reason(), tag));
        }
        if (!senders.operatorSubmissionEnabled()) {
            return Optional.of(req.createResponse(403, "Sending is disabled for this account by the operator", tag));
        }
        if (anonymous && !settings.allowAnonymous()) {
            return Optional.of(req.createResponse(403, "Anonymous messages are not allowed here", tag));
        }
        return Optional.empty();
    }

    /**
     * The recipient's side: the operator's switches, the block list, delivery off, do not disturb
     * or busy — which, when {@code notify}, leaves the recipient an "attempted contact" notice (UC 5.6).
     */
    Optional<SipResponse> recipientRefusal(Submission s, Account sender, Account recipient, boolean anonymous,
                                           boolean notify, String tag) {
        return recipientRefusal(s, sender, controls.get(recipient.username()), anonymous, notify, tag);
    }

    private Optional<SipResponse> recipientRefusal(Submission s, Account sender, MessagingControls theirs,
                                                   boolean anonymous, boolean notify, String tag) {
        SipRequest req = s.request();
        if (!settings.deliveryEnabled() || !theirs.operatorDeliveryEnabled()) {
            return Optional.of(req.createResponse(403, "Delivery to this user is disabled by the operator", tag));
        }
        if (blocked(theirs, sender, anonymous)) {
            return Optional.of(req.createResponse(603, "Decline", tag));
        }
        if (!theirs.deliveryEnabled()) {
            return Optional.of(req.createResponse(480, "The recipient has turned message delivery off", tag));
        }
        boolean busy = !theirs.doNotDisturb() && availability.declinesContact(s.recipientAor());
        if ((theirs.doNotDisturb() || busy) && notify) {
            mailbox.notice(notices.text(s.recipientAor(), "Attempted contact from "
                    + (anonymous ? "an anonymous sender" : s.senderAor()) + " at " + s.at()), s.recipientAor());
        }
        if (theirs.doNotDisturb() || busy) {
            return Optional.of(req.createResponse(480, busy ? "The recipient is not available (busy)"
                    : "The recipient is not available (do not disturb)", tag));
        }
        return Optional.empty();
    }

    /** The account's own limits when the operator gave it some, else the defaults. */
    Limits limitsOf(Account account) {
        return limits(controls.get(account.username()));
    }

    private Limits limits(MessagingControls of) {
        return of.limits().orElse(settings.limits());
    }

    /** Presence-aware delivery (GU-4, PP-4): set once the presence server is up. */
    void availability(Availability source) {
        this.availability = source;
    }

    /** PP2-23: a blocked sender stays blocked whichever of its identities it uses, and when anonymous. */
    private boolean blocked(MessagingControls theirs, Account sender, boolean anonymous) {
        if (theirs.blockedSenders().isEmpty()) {
            return false; // nearly every recipient: no iterator for an empty set on every message
        }
        for (String entry : theirs.blockedSenders()) {
            if (entry.equalsIgnoreCase("anonymous")) {
                if (anonymous) {
                    return true;
                }
                continue;
            }
            try {
                if (identities.resolve(Uri.parse(entry)).map(a -> a.id() == sender.id()).orElse(false)) {
                    return true;
                }
            } catch (SipParseException e) {
                // an entry that is no URI blocks nobody
            }
        }
        return false;
    }

    /** RFC 3323: anonymity asked for by an anonymous From or by Privacy: id/header/user. */
    static boolean anonymous(SipRequest req) {
        if (RequestAuthenticator.isAnonymous(req.from())) {
            return true;
        }
        for (String p : req.headers().values("Privacy")) {
            for (String v : p.split(";")) {
                String t = v.strip().toLowerCase(Locale.ROOT);
                if (t.equals("id") || t.equals("header") || t.equals("user")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * RFC 3325: identities asserted by clients are never trusted, ours replaces them; with
     * privacy (RFC 3323) the sender's identity is removed entirely and the request carries no
     * trace of where it came from.
     */
    SipRequest withIdentity(SipRequest req, String senderAor, boolean anonymous) {
        // §22.3: credentials for our own realm end here; RFC 3325: client-asserted identities are never trusted
        Headers h = req.headers().remove(HeaderNames.PROXY_AUTHORIZATION)
                .remove(HeaderNames.P_ASSERTED_IDENTITY).remove("P-Preferred-Identity");
        if (anonymous) {
            String tag = req.from().tag().orElseGet(Ids::tag);
            h = h.set(HeaderNames.FROM, "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=" + tag)
                    .set(HeaderNames.CALL_ID, Ids.callId())
                    .remove(HeaderNames.CONTACT).remove("Privacy").remove(HeaderNames.USER_AGENT);
        } else {
            h = h.prepend(HeaderNames.P_ASSERTED_IDENTITY, "<" + senderAor + ">");
        }
        return req.withHeaders(h);
    }

    /** PP2-33/PP2-34: the sender's Expires, capped by the operator's maximum, else the default. */
    private Duration expiry(SipRequest req) {
        Optional<String> e = req.header(HeaderNames.EXPIRES);
        if (e.isEmpty()) {
            return settings.defaultExpiry();
        }
        Duration asked = Duration.ofSeconds(HeaderValues.boundedNumber(e.get(), 0xFFFFFFFFL, "Expires"));
        return asked.compareTo(settings.maxExpiry()) > 0 ? settings.maxExpiry() : asked;
    }

    static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** How a party reached us, for charging (PP-49): transport and, when given, the access network. */
    static String access(Flow flow, SipRequest req) {
        String network = req.headers().value(HeaderNames.P_ACCESS_NETWORK_INFO);
        return network == null ? flow.transport().name() : flow.transport() + "; " + network;
    }
}
