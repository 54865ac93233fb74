package org.parley.messaging;

import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.parley.messaging.store.NewStoredMessage;
import org.parley.messaging.store.OfflineStore;
import org.parley.messaging.store.Quota;
import org.parley.messaging.store.QuotaExceededException;
import org.parley.messaging.store.StoredMessage;
import org.parley.messaging.store.UsageEvent;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.transaction.Ids;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery with store-and-forward (MU-3, UC 5.13): a message goes to the recipient's devices now,
 * or — when none takes it — into the durable offline store, answered 202 only once it is there.
 * Stored messages go out oldest first when the recipient registers (MT-3, PP2-13), one at a time
 * per recipient, each retried until a device takes it or it expires (PP2-33).
 */
final class Mailbox {
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
    private static final int BATCH = 100;
    /** The Via a stored notice carries only to be parsable again (see {@link #forStorage}). */
    private static final String STORED_VIA = "SIP/2.0/TCP stored.invalid;branch=z9hG4bK-stored-notice";

    private final OfflineStore store;
    private final Delivery delivery;
    private final Usage usage;
    private final Notices notices;
    private final MessagingSettings settings;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Consumer<String> changed;
    /** Recipients with a delivery run asked for, and whether a summary goes first. */
    private final Map<String, Boolean> wanted = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** @param changed told the recipient AOR whenever what waits for it changes (RFC 3842 notifications) */
    Mailbox(OfflineStore store, Delivery delivery, Usage usage, Notices notices, MessagingSettings settings,
            Scheduler scheduler, Executor executor, Consumer<String> changed) {
        this.changed = changed;
        this.store = store;
        this.delivery = delivery;
        this.usage = usage;
        this.notices = notices;
        this.settings = settings;
        this.scheduler = scheduler;
        this.executor = executor;
    }

    /**
     * Sends now, or stores, and completes with the one final answer for the sender. A recipient
     * who already has messages waiting gets this one stored behind them, so that nothing newer
     * overtakes anything older (MT-3).
     *
     * <p>Exactly once: the outcome (delivered, stored, refused) is settled first and the
     * book-keeping after it (usage record, summary notification) can no longer change it — a
     * failing usage log never stores a message a device already took. Throws or completes
     * exceptionally only when nothing was done (the store failed), which the router answers 500.
     */
    CompletableFuture<SipResponse> deliverOrStore(SipRequest message, Submission s, Instant expires, Quota quota,
                                                  String tag) {
        if (store.usage(s.recipientAor()).messages() > 0) {
            return CompletableFuture.completedFuture(storeAndAccept(message, s, expires, quota, tag, List.of()));
        }
        return attempt(() -> delivery.toDevices(message, s.recipientAor(), tag)).handle((result, failure) -> {
            if (failure != null) {
                // no device answered it as far as we know: stored, it goes out on the next attempt
                LOG.warn("delivery to {} failed: {}", s.recipientAor(), failure.toString());
                return storeAndAccept(message, s, expires, quota, tag, List.of());
            }
            if (result.delivered()) {
                afterwards("recording delivery to", s.recipientAor(),
                        () -> usage.record(s, UsageEvent.DELIVERED, Optional.of(accessOf(result)), null));
                return result.response();
            }
            if (result.worthStoring()) {
                return storeAndAccept(message, s, expires, quota, tag, result.devices());
            }
            afterwards("recording a refusal by", s.recipientAor(), () -> usage.record(s, UsageEvent.REFUSED,
                    Optional.of(accessOf(result)), "device answered " + result.response().status()));
            return result.response();
        });
    }

    /** Stores the message (a failure of the store itself propagates: nothing was done) and says 202, or 480 when full. */
    private SipResponse storeAndAccept(SipRequest message, Submission s, Instant expires, Quota quota, String tag,
                                       List<ContactTarget> tried) {
        if (!stored(message, s, expires, quota, tried)) {
            return s.request().createResponse(480, "The recipient's message store is full", tag)
                    .withHeader(HeaderNames.RETRY_AFTER, "3600");
        }
        return s.request().createResponse(202, "Accepted (stored for later delivery)", tag);
    }

    /**
     * A message of a deferred session (MU-3 in session form): into the same store, under the same
     * quota, as a pager-mode message, committed when this returns true; false when the quota is
     * full. Delivery starts at once should the recipient have come back meanwhile, behind what
     * waited already ({@link #stored}).
     */
    boolean storeDeferred(SipRequest message, Submission s, Instant expires, Quota quota) {
        return stored(message, s, expires, quota, List.of());
    }

    /**
     * Stores with its usage record; false (and a refusal recorded) when the recipient's quota is full.
     * A recipient with a device registered by now other than those {@code tried} (which refused it or
     * did not answer: they get it at the next registration or retry, as before) gets it at once,
     * behind what waited already: that device may have registered while this message was on its
     * way here, and its registration, asking before this commit, found nothing waiting
     * ({@link #onRegistered}).
     */
    private boolean stored(SipRequest message, Submission s, Instant expires, Quota quota, List<ContactTarget> tried) {
        Optional<Cpim> cpim = cpim(message);
        try {
            store.store(new NewStoredMessage(s.recipientAor(), s.senderAor(), s.at(), expires,
                    carriedType(message, cpim), cpim.flatMap(Cpim::imdnMessageId),
                    cpim.map(Cpim::dispositionNotification).orElse(""), forStorage(message)), quota);
        } catch (QuotaExceededException e) {
            afterwards("recording a refusal for", s.recipientAor(),
                    () -> usage.record(s, UsageEvent.REFUSED, Optional.empty(), e.getMessage()));
            return false;
        }
        afterwards("recording a stored message for", s.recipientAor(),
                () -> usage.record(s, UsageEvent.STORED, Optional.empty(), "expires " + expires));
        afterwards("notifying the summary of", s.recipientAor(), () -> changed.accept(s.recipientAor()));
        afterwards("starting delivery to", s.recipientAor(), () -> deliverIfRegistered(s.recipientAor(), tried));
        return true;
    }

    /**
     * After a store's commit: a delivery run if the recipient has a device now that was not tried. With
     * {@link #onRegistered} this is the two halves of a handshake — here the message is written
     * (the store's figures with it) before the devices are read, there the binding before the
     * figures — and a full fence on each side between its write and its read makes one of the two
     * see the other's write, so a message stored while its recipient registers is never left waiting.
     */
    private void deliverIfRegistered(String recipientAor, List<ContactTarget> tried) {
        VarHandle.fullFence();
        if (delivery.reachableBesides(recipientAor, tried)) {
            deliverPending(recipientAor);
        }
    }

    /**
     * To the devices online now and nowhere else: what is only worth something now ("is typing",
     * RFC 3994) is never stored and leaves no usage record. No device takes it → 480.
     */
    CompletableFuture<SipResponse> deliverNowOnly(SipRequest message, Submission s, String tag) {
        return attempt(() -> delivery.toDevices(message, s.recipientAor(), tag)).handle((result, failure) -> {
            if (failure == null && (result.delivered() || !result.worthStoring())) {
                return result.response();
            }
            return s.request().createResponse(480, "Temporarily Unavailable (is-typing indications are not stored)",
                    tag);
        });
    }

    /**
     * Book-keeping once the outcome is settled: a failure here is logged ({@code what}, then the
     * recipient) and changes nothing — retrying the outcome would deliver or store a second time.
     */
    private static void afterwards(String what, String recipientAor, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // the words are put together only here: every message passes this way, hardly one fails
            LOG.error("{} {} failed after the message was handled", what, recipientAor, e);
        }
    }

    /** Runs {@code start}; an exception it throws becomes a failed future, so callers have one path for failures. */
    static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A service message to a local user: delivered now or stored like any other; a failure is logged. */
    void notice(SipRequest notice, String recipientAor) {
        Instant now = scheduler.now();
        Submission s = new Submission(notice, notices.serviceAor(), recipientAor, "internal", now);
        attempt(() -> deliverOrStore(notice, s, now.plus(settings.defaultExpiry()), settings.limits().offlineQuota(),
                Ids.tag())).whenComplete((answer, failure) -> {
                    if (failure != null) {
                        LOG.error("a notice to {} was lost", recipientAor, failure);
                    }
                });
    }

    /** Whether the recipient has a registered device now. */
    boolean reachable(String recipientAor) {
        return delivery.reachable(recipientAor);
    }

    /** Asks for the recipient's waiting messages to be delivered (now, or right after a run under way). */
    void deliverPending(String recipientAor) {
        request(recipientAor, false);
    }

    /**
     * Called on registration, after the binding is stored: a summary first (UC 5.13), then the
     * messages themselves — when something waits, which the store's figures in memory say; most
     * REGISTERs (refreshes) find nothing and cost no run. A message committed too late for this
     * look starts its own run ({@link #deliverIfRegistered}).
     */
    void onRegistered(String recipientAor) {
        VarHandle.fullFence();
        if (waiting(recipientAor)) {
            request(recipientAor, true);
        }
    }

    /** Whether anything waits for the recipient; when the store cannot say, a run finds out (and logs why it cannot). */
    private boolean waiting(String recipientAor) {
        try {
            return store.usage(recipientAor).messages() > 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * One delivery run per recipient at a time, so order holds; a request arriving during a run
     * makes it go round once more, so that a registration is never missed by a run that had just
     * found no device.
     */
    private void request(String recipientAor, boolean summary) {
        wanted.merge(recipientAor, summary, Boolean::logicalOr);
        if (running.add(recipientAor)) {
            executor.execute(() -> work(recipientAor));
        }
    }

    private void work(String recipientAor) {
        try {
            while (true) {
                Boolean summary = wanted.remove(recipientAor);
                if (summary == null) {
                    running.remove(recipientAor);
                    if (wanted.containsKey(recipientAor) && running.add(recipientAor)) {
                        continue;
                    }
                    return;
                }
                // nobody to deliver to: the next registration starts a run with its summary first
                if (!delivery.reachable(recipientAor)) {
                    continue;
                }
                // a run asked for may find everything delivered by the one before it
                if (store.usage(recipientAor).messages() == 0) {
                    continue;
                }
                if (summary) {
                    summarize(recipientAor);
                }
                drain(recipientAor);
            }
        } catch (RuntimeException e) {
            running.remove(recipientAor);
            LOG.warn("delivering stored messages to {} failed: {}", recipientAor, e.toString());
        }
    }

    private void summarize(String recipientAor) {
        // IMDN reports kept for the recipient are delivered below but are no "messages waiting"
        int waiting = store.usage(recipientAor).waitingMessages();
        if (waiting > 0) {
            SipRequest summary = notices.text(recipientAor, waiting == 1 ? "You have 1 message waiting."
                    : "You have " + waiting + " messages waiting.");
            delivery.toDevices(summary, recipientAor, Ids.tag()).join();
        }
    }

    private void drain(String recipientAor) {
        while (true) {
            List<StoredMessage> batch = store.pending(recipientAor, BATCH);
            if (batch.isEmpty()) {
                return;
            }
            for (StoredMessage m : batch) {
                if (!m.expiresAt().isAfter(scheduler.now())) {
                    continue; // the expiry sweep reports it to the sender
                }
                SipRequest request = fromStorage(m);
                Delivery.Result result = delivery.toDevices(request, recipientAor, Ids.tag()).join();
                Submission s = new Submission(request, m.sender(), recipientAor, null, m.submittedAt());
                if (result.delivered()) {
                    store.remove(m);
                    afterwards("notifying the summary of", recipientAor, () -> changed.accept(recipientAor));
                    afterwards("recording delivery to", recipientAor, () -> usage.record(s, UsageEvent.DELIVERED,
                            Optional.of(accessOf(result)), "from the offline store"));
                } else {
                    store.attempted(m.id());
                    if (!result.devices().isEmpty()) {
                        scheduler.later(settings.retryInterval(), () -> deliverPending(recipientAor));
                    }
                    return;
                }
            }
            if (batch.size() < BATCH) {
                return;
            }
        }
    }

    /**
     * Messages past their expiry leave the store; their senders are told (MT-2, PP-15) unless the
     * operator switched notices off (PP2-32): by IMDN when they asked for negative-delivery
     * notification (RFC 5438), in words otherwise.
     */
    void expire() {
        Instant now = scheduler.now();
        for (StoredMessage m : store.expired(now, BATCH)) {
            if (!store.remove(m)) {
                continue;
            }
            changed.accept(m.recipientAor());
            SipRequest original = fromStorage(m);
            usage.record(new Submission(original, m.sender(), m.recipientAor(), null, m.submittedAt()),
                    UsageEvent.EXPIRED, Optional.empty(), "undelivered at expiry " + m.expiresAt());
            if (!settings.nonDeliveryNotices() || m.sender().equals(notices.serviceAor())) {
                continue;
            }
            SipRequest notice = m.imdnMessageId().isPresent() && m.imdnRequested().contains("negative-delivery")
                    ? notices.imdnFailure(m.sender(), m.recipientAor(), m.imdnMessageId().get(),
                            cpim(original).flatMap(Cpim::dateTime).orElse(m.submittedAt().toString()), now)
                    : notices.text(m.sender(), "Your message to " + m.recipientAor() + " sent at " + m.submittedAt()
                            + " could not be delivered before it expired.");
            notice(notice, m.sender());
        }
    }

    /** Recipients who are registered now get what waited for them through a restart. */
    void resume() {
        store.recipientsWithPending().forEach(this::deliverPending);
    }

    private static Optional<Cpim> cpim(SipRequest m) {
        return m.contentType().filter(t -> PagerService.baseType(t).equals("message/cpim"))
                .flatMap(t -> Cpim.parse(m.body()));
    }

    /** What the message carries: a CPIM wrapper's encapsulated type, so that reports are told from messages. */
    private static String carriedType(SipRequest message, Optional<Cpim> cpim) {
        return cpim.flatMap(Cpim::contentType).map(PagerService::baseType)
                .orElse(message.contentType().orElse("text/plain"));
    }

    /**
     * Stored as accepted, byte-exact; a valid message so that reading it back is plain parsing. The
     * server's own notices have no Via yet (the transaction layer adds it when one is sent): they get
     * a stand-in, dropped again when read back like any submission's, or they could never be read.
     */
    private static byte[] forStorage(SipRequest m) {
        return m.headers().has(HeaderNames.VIA) ? m.encode()
                : m.withHeaders(m.headers().prepend(HeaderNames.VIA, STORED_VIA)).encode();
    }

    /** A later delivery is a new hop: the Via and Route of the submission are dropped. */
    private static SipRequest fromStorage(StoredMessage m) {
        SipRequest r = (SipRequest) SipParser.parse(m.request());
        return r.withRequestUri(SipUri.parse(m.recipientAor())).withHeaders(r.headers().remove(HeaderNames.VIA)
                .remove(HeaderNames.ROUTE).set(HeaderNames.MAX_FORWARDS, "70"));
    }

    /** The transports of the devices tried, each once, in their order ("UDP", "TCP,WS"). */
    private static String accessOf(Delivery.Result result) {
        List<ContactTarget> devices = result.devices();
        if (devices.size() == 1) {
            return devices.get(0).flow().transport().name(); // nearly every recipient: one device, no stream
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < devices.size(); i++) {
            Transport t = devices.get(i).flow().transport();
            boolean seen = false;
            for (int j = 0; j < i && !seen; j++) {
                seen = devices.get(j).flow().transport() == t;
            }
            if (!seen) {
                out.append(out.isEmpty() ? "" : ",").append(t.name());
            }
        }
        return out.toString();
    }
}
