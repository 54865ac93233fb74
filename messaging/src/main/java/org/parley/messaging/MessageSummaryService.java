package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.parley.accounts.Account;
import org.parley.messaging.store.OfflineStore;
import org.parley.registrar.IdentityResolver;
import org.parley.registrar.auth.OwnSubscriptions;
import org.parley.registrar.auth.RequestAuthenticator;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.EventHeader;
import org.parley.sip.proxy.EventNotifier;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.proxy.Notifier;
import org.parley.sip.proxy.SubscribeTerms;
import org.parley.sip.proxy.UserAgent;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/**
 * "Messages waiting" for clients that subscribe (RFC 3842, event package message-summary, over
 * RFC 6665): a user's devices subscribe to their own address and are told how many pager
 * messages wait in the offline store, at once and on every change (UC 5.13).
 */
final class MessageSummaryService implements LocalService, EventNotifier.EventPackage {
    static final String EVENT = "message-summary";
    /** A day at most: a client that vanished without unsubscribing costs no more than that. */
    private static final SubscribeTerms.Limits TERMS =
            new SubscribeTerms.Limits(Duration.ofSeconds(60), Duration.ofDays(1), Duration.ofHours(1));

    private final OwnSubscriptions owners;
    private final OfflineStore store;
    private final Scheduler scheduler;
    private final EventNotifier notifier;

    MessageSummaryService(LocalDomains domains, IdentityResolver identities, RequestAuthenticator senders,
                          OfflineStore store, Forker forker, Scheduler scheduler) {
        this.owners = new OwnSubscriptions(domains, identities, senders);
        this.store = store;
        this.scheduler = scheduler;
        this.notifier = new EventNotifier(this, new Notifier(new UserAgent(forker), scheduler, Duration.ZERO), TERMS);
    }

    @Override
    public List<String> eventPackages() {
        return List.of(EVENT);
    }

    @Override
    public boolean accepts(SipRequest request) {
        return EventHeader.subscribes(request, EVENT);
    }

    @Override
    public CompletionStage<Void> serve(ServerTransaction tx) {
        notifier.serve(tx);
        return ANSWERED;
    }

    /** Only the user subscribes to its own mailbox (RFC 6665 §4.2.1.2). */
    @Override
    public Optional<String> authorise(ServerTransaction tx) {
        return owners.allow(tx, scheduler.now(), "this mailbox");
    }


    /** The mailbox's account is deleted: its subscriptions end (RFC 6665 §4.1.3 noresource). */
    void endAccount(String aor) {
        notifier.endAll(aor, "noresource");
    }

    /** The mailbox of {@code aor} changed: every subscription to it hears the new count. */
    void changed(String aor) {
        byte[] state = fullState(aor, 0);
        notifier.changed(aor, version -> state);
    }

    @Override
    public String event() {
        return EVENT;
    }

    @Override
    public String contentType() {
        return "application/simple-message-summary";
    }

    @Override
    public byte[] fullState(String aor, long version) {
        // RFC 3842 §5: Text-Message counts messages; IMDN reports waiting with them are not messages
        int waiting = store.usage(aor).waitingMessages();
        return ("Messages-Waiting: " + (waiting > 0 ? "yes" : "no") + "\r\n"
                + "Message-Account: " + aor + "\r\n"
                + "Text-Message: " + waiting + "/0\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
