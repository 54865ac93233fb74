package org.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Executor;
import org.parley.accounts.Account;
import java.util.function.Supplier;
import org.parley.accounts.AccountService;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.OfflineStore;
import org.parley.messaging.store.UsageLog;
import org.parley.msrp.session.MsrpEndpoint;
import org.parley.registrar.Binding;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.registrar.LocationService;
import org.parley.registrar.RegistrationListener;
import org.parley.registrar.auth.SipDigestGate;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Locator;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging server of the OMA picture (C2, C3's store-and-forward, C9's limits and usage):
 * assembled from the SIP core it rides on and the stores it keeps its state in.
 */
public final class MessagingServer implements RegistrationListener {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingServer.class);
    private static final Duration SWEEP = Duration.ofSeconds(30);

    private final PagerService pager;
    private final MessageSummaryService summaries;
    private final Mailbox mailbox;
    private final Scheduler scheduler;
    private final Notices notices;
    private final Wiring wiring;
    private final MessagingSettings settings;
    private final RequestAuthenticator senders;
    private volatile DeferredSessions deferred;
    private volatile Cancellable sweep;
    private volatile Cancellable deferredSweep;

    /** The parts of the SIP core and the stores the messaging server uses. */
    public record Wiring(LocalDomains domains, IdentityResolver identities, AccountService accounts,
                         SipDigestGate digest, LocationService location, Locator locator, Forker forker,
                         OfflineStore offline, UsageLog usage, ControlsStore controls, StoredLists storedLists,
                         Scheduler scheduler, Executor executor) {
    }

    public MessagingServer(MessagingSettings settings, Wiring w) {
        this.scheduler = w.scheduler();
        this.wiring = w;
        this.settings = settings;
        this.notices = new Notices(settings.serviceUser(), w.domains().domain());
        Usage usage = new Usage(w.usage(), w.scheduler());
        this.senders = new RequestAuthenticator(w.digest(), w.identities(), w.accounts(), w.location(), w.domains());
        this.summaries = new MessageSummaryService(w.domains(), w.identities(), senders, w.offline(), w.forker(),
                w.scheduler());
        this.mailbox = new Mailbox(w.offline(), new DeviceDelivery(w.forker(), w.locator()), usage, notices, settings,
                w.scheduler(), w.executor(), summaries::changed);
        this.pager = new PagerService(settings, w.domains(), w.identities(), senders, w.controls(),
                new MessageLimiter(settings.systemRatePerSecond()), mailbox, notices, usage, w.scheduler(), w.storedLists());
    }

    /** The account {@code aor} is deleted: its message-summary subscriptions end with a NOTIFY. */
    public void endAccount(String aor) {
        summaries.endAccount(aor);
    }

    /**
     * Parley answers MSRP sessions for users offline on their behalf and stores what is sent in
     * them (deferred delivery, MU-3), with the endpoint {@code endpoint} gives as their MSRP end
     * (null while the MSRP side has not started: no session is deferred until then). Sessions quiet
     * for {@code idleTimeout} end. Call before {@link #services()}.
     */
    public void deferSessionsTo(Supplier<MsrpEndpoint> endpoint, Duration idleTimeout) {
        deferred = new DeferredSessions(settings, wiring.domains(), wiring.identities(), senders, pager, mailbox,
                new UserAgent(wiring.forker()), scheduler, endpoint, idleTimeout);
    }

    /**
     * The SIP services of the messaging server, for the router: pager MESSAGE, message-summary
     * SUBSCRIBE and, with an MSRP endpoint, deferred sessions.
     */
    public List<LocalService> services() {
        DeferredSessions d = deferred;
        return d == null ? List.of(pager, summaries) : List.of(pager, summaries, d);
    }

    /**
     * Starts the expiry sweep (off the SIP timer thread: it reads and writes the store) and
     * delivers what waited through a restart to those registered.
     */
    public void start() {
        sweep = scheduler.every(SWEEP, this::sweep);
        DeferredSessions d = deferred;
        if (d != null) {
            deferredSweep = scheduler.every(DeferredSessions.SWEEP, d::sweep);
        }
        mailbox.resume();
    }

    public void stop() {
        for (Cancellable c : new Cancellable[] {sweep, deferredSweep}) {
            if (c != null) {
                c.cancel();
            }
        }
    }

    /**
     * A text from the service address to a local user (contact requests, group notices...):
     * delivered now or stored like any message.
     */
    public void notice(String recipientAor, String text) {
        mailbox.notice(notices.text(recipientAor, text), recipientAor);
    }

    /**
     * The checks of a pager message that do not depend on its recipient — the operator's switches,
     * size, content type and the sender's rate on the one limiter (MO-2, PP2-17, PP2-18) — for the
     * services that take messages for many (chat rooms, groups). A message that passes is counted.
     */
    public Optional<SipResponse> senderRefusal(SipRequest req, Account sender, Instant at, String tag) {
        if (!settings.submissionEnabled()) {
            return Optional.of(req.createResponse(403, "Messaging is switched off by the operator", tag));
        }
        return pager.senderRefusal(req, sender, at, tag);
    }

    /** Whether the sender asks for anonymity (RFC 3323: an anonymous From, or Privacy id/header/user). */
    public static boolean asksForAnonymity(SipRequest req) {
        return PagerService.anonymous(req);
    }

    /** Lets the presence server's view of a recipient decide "do not disturb" too (GU-4, PP-4, UC 5.6). */
    public void availabilityFrom(Availability source) {
        pager.availability(source);
    }

    /** Runs an expiry pass now (the sweep does this every 30 s). */
    public void expireNow() {
        mailbox.expire();
    }

    private void sweep() {
        try {
            mailbox.expire();
        } catch (RuntimeException e) {
            LOG.warn("expiry sweep failed: {}", e.toString());
        }
    }

    @Override
    public void registered(String aor, Binding binding) {
        mailbox.onRegistered(aor);
    }
}
