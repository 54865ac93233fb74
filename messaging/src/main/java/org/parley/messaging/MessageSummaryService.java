package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.accounts.Account;
import org.parley.messaging.store.OfflineStore;
import org.parley.registrar.IdentityResolver;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.LocalDomains;
import org.parley.sip.proxy.LocalService;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;

/**
 * "Messages waiting" for clients that subscribe (RFC 3842, event package message-summary, over
 * RFC 6665): a user's devices subscribe to their own address and are told how many pager
 * messages wait in the offline store, at once and on every change (UC 5.13).
 */
final class MessageSummaryService implements LocalService {
    static final String EVENT = "message-summary";
    private static final Duration DEFAULT_EXPIRES = Duration.ofHours(1);
    private static final Duration MIN_EXPIRES = Duration.ofSeconds(60);

    /** One subscription dialog; we are the notifier (UAS side of the SUBSCRIBE). */
    private record Subscription(String id, String aor, String callId, String localTag, Address subscriber,
                                Uri remoteTarget, Flow flow, AtomicLong cseq, Instant expires, Cancellable timer) {
    }

    private final LocalDomains domains;
    private final IdentityResolver identities;
    private final SenderCheck senders;
    private final OfflineStore store;
    private final Forker forker;
    private final Scheduler scheduler;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();

    MessageSummaryService(LocalDomains domains, IdentityResolver identities, SenderCheck senders, OfflineStore store,
                          Forker forker, Scheduler scheduler) {
        this.domains = domains;
        this.identities = identities;
        this.senders = senders;
        this.store = store;
        this.forker = forker;
        this.scheduler = scheduler;
    }

    @Override
    public boolean accepts(SipRequest request) {
        return request.isMethod("SUBSCRIBE") && request.header("Event")
                .map(e -> e.toLowerCase(Locale.ROOT).startsWith(EVENT)).orElse(false);
    }

    @Override
    public void serve(ServerTransaction tx) {
        SipRequest req = tx.request();
        Instant now = scheduler.now();
        Optional<Account> target = identities.resolve(req.requestUri());
        if (target.isEmpty()) {
            tx.respond(req.createResponse(404, "No such user", tx.localTag()));
            return;
        }
        SenderCheck.Outcome who = senders.check(req, tx.flow(), tx.localTag(), now);
        if (who.refusal() != null) {
            tx.respond(who.refusal());
            return;
        }
        if (who.sender().orElseThrow().id() != target.get().id()) {
            tx.respond(req.createResponse(403, "Only the owner may watch this mailbox", tx.localTag()));
            return;
        }
        Duration expires = req.header(HeaderNames.EXPIRES)
                .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                .orElse(DEFAULT_EXPIRES);
        if (!expires.isZero() && expires.compareTo(MIN_EXPIRES) < 0) {
            tx.respond(req.createResponse(423, "Interval Too Brief", tx.localTag())
                    .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(MIN_EXPIRES.toSeconds())));
            return;
        }
        String id = req.callId() + ";" + tx.localTag();
        Subscription old = byId.remove(id);
        if (old != null) {
            old.timer().cancel();
        }
        Optional<String> contact = req.headers().values(HeaderNames.CONTACT).stream().findFirst();
        if (contact.isEmpty()) {
            tx.respond(req.createResponse(400, "SUBSCRIBE without Contact", tx.localTag()));
            return;
        }
        tx.respond(req.createResponse(200, "OK", tx.localTag())
                .withHeader(HeaderNames.EXPIRES, Long.toString(expires.toSeconds()))
                .withHeader(HeaderNames.CONTACT, "<" + domains.aorOf(target.get().username()) + ">"));
        String aor = domains.aorOf(target.get().username());
        AtomicLong cseq = old != null ? old.cseq() : new AtomicLong();
        Subscription s = new Subscription(id, aor, req.callId(), tx.localTag(), req.from(),
                Address.parse(contact.get()).uri(), tx.flow(), cseq, now.plus(expires),
                expires.isZero() ? () -> { } : scheduler.schedule(expires, () -> end(id, "timeout")));
        if (expires.isZero()) {
            notify(s, "terminated;reason=timeout");
        } else {
            byId.put(id, s);
            notify(s, "active;expires=" + expires.toSeconds());
        }
    }

    /** The mailbox of {@code aor} changed: every subscription to it hears the new count. */
    void changed(String aor) {
        Instant now = scheduler.now();
        for (Subscription s : List.copyOf(byId.values())) {
            if (s.aor().equals(aor)) {
                notify(s, "active;expires=" + Math.max(0, Duration.between(now, s.expires()).toSeconds()));
            }
        }
    }

    private void end(String id, String reason) {
        Subscription s = byId.remove(id);
        if (s != null) {
            notify(s, "terminated;reason=" + reason);
        }
    }

    private void notify(Subscription s, String state) {
        int waiting = store.usage(s.aor()).messages();
        byte[] body = ("Messages-Waiting: " + (waiting > 0 ? "yes" : "no") + "\r\n"
                + "Message-Account: " + s.aor() + "\r\n"
                + "Text-Message: " + waiting + "/0\r\n").getBytes(StandardCharsets.UTF_8);
        Headers h = Headers.EMPTY
                .append(HeaderNames.VIA, "SIP/2.0/UDP " + domains.domain() + ";branch=z9hG4bK-mwi-" + UUID.randomUUID())
                .append(HeaderNames.FROM, "<" + s.aor() + ">;tag=" + s.localTag())
                .append(HeaderNames.TO, s.subscriber().toString())
                .append(HeaderNames.CALL_ID, s.callId())
                .append(HeaderNames.CSEQ, s.cseq().incrementAndGet() + " NOTIFY")
                .append(HeaderNames.MAX_FORWARDS, "70")
                .append(HeaderNames.CONTACT, "<" + s.aor() + ">")
                .append("Event", EVENT)
                .append("Subscription-State", state)
                .append(HeaderNames.CONTENT_TYPE, "application/simple-message-summary");
        SipRequest notify = new SipRequest("NOTIFY", s.remoteTarget(), h, body);
        // RFC 6665 §4.2.2: a NOTIFY answered 481, or never answered, ends the subscription
        forker.along(notify, Target.of(s.flow()), s.localTag(), r -> {
            if (r.isFinal() && (r.status() == 481 || r.status() == 408)) {
                Subscription gone = byId.remove(s.id());
                if (gone != null) {
                    gone.timer().cancel();
                }
            }
        }, () -> { });
    }
}
