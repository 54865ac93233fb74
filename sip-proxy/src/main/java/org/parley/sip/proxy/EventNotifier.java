package org.parley.sip.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;

/**
 * The notifier side of SIP events (RFC 6665) for one event package: accepts SUBSCRIBE (new,
 * refresh, unsubscribe), sends the full state at once, later changes when told, a terminated
 * NOTIFY at expiry or unsubscribe, and forgets a subscription whose NOTIFY gets 481 or no answer.
 * Who may subscribe is the service's decision, taken before {@link #subscribe}.
 */
public final class EventNotifier {
    /** What an event package says about a resource. */
    public interface EventPackage {
        String event();

        String contentType();

        /** The complete state of the resource, sent first and on refresh. */
        byte[] fullState(String resource);
    }

    /** One subscription dialog; this side is the notifier. */
    private record Subscription(String id, String resource, String callId, String localTag, Address subscriber,
                                Uri remoteTarget, Flow flow, String contact, AtomicLong cseq, Instant expires,
                                Cancellable timer) {
    }

    private final EventPackage pkg;
    private final Forker forker;
    private final Scheduler scheduler;
    private final String notifierHost;
    private final Duration defaultExpires;
    private final Duration minExpires;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();

    public EventNotifier(EventPackage pkg, Forker forker, Scheduler scheduler, String notifierHost,
                         Duration defaultExpires, Duration minExpires) {
        this.pkg = pkg;
        this.forker = forker;
        this.scheduler = scheduler;
        this.notifierHost = notifierHost;
        this.defaultExpires = defaultExpires;
        this.minExpires = minExpires;
    }

    /** Answers a SUBSCRIBE for {@code resource} (an AOR) that the service has already allowed. */
    public void subscribe(ServerTransaction tx, String resource) {
        SipRequest req = tx.request();
        Duration expires = req.header(HeaderNames.EXPIRES)
                .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                .orElse(defaultExpires);
        if (!expires.isZero() && expires.compareTo(minExpires) < 0) {
            tx.respond(req.createResponse(423, "Interval Too Brief", tx.localTag())
                    .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(minExpires.toSeconds())));
            return;
        }
        if (!AcceptHeader.of(req).allowsAny(pkg.contentType())) {
            // RFC 6665 §8.3.3: a subscriber that cannot read the package's body gets 406
            tx.respond(req.createResponse(406, "Not Acceptable", tx.localTag())
                    .withHeader(HeaderNames.ACCEPT, pkg.contentType()));
            return;
        }
        Optional<String> contact = req.headers().values(HeaderNames.CONTACT).stream().findFirst();
        if (contact.isEmpty()) {
            tx.respond(req.createResponse(400, "SUBSCRIBE without Contact", tx.localTag()));
            return;
        }
        String id = req.callId() + ";" + tx.localTag();
        Subscription old = byId.remove(id);
        if (old != null) {
            old.timer().cancel();
        }
        String ours = forker.contactFor(resource, tx.flow());
        tx.respond(req.createResponse(200, "OK", tx.localTag())
                .withHeader(HeaderNames.EXPIRES, Long.toString(expires.toSeconds()))
                .withHeader(HeaderNames.CONTACT, ours));
        Subscription s = new Subscription(id, resource, req.callId(), tx.localTag(), req.from(),
                Address.parse(contact.get()).uri(), tx.flow(), ours, old != null ? old.cseq() : new AtomicLong(),
                scheduler.now().plus(expires),
                expires.isZero() ? () -> { } : scheduler.schedule(expires, () -> end(id, "timeout")));
        if (expires.isZero()) {
            notify(s, "terminated;reason=timeout", pkg.fullState(resource));
        } else {
            byId.put(id, s);
            notify(s, "active;expires=" + expires.toSeconds(), pkg.fullState(resource));
        }
    }

    /** The resource changed: every subscription to it gets {@code body}. */
    public void changed(String resource, byte[] body) {
        Instant now = scheduler.now();
        for (Subscription s : List.copyOf(byId.values())) {
            if (s.resource().equals(resource)) {
                notify(s, "active;expires=" + Math.max(0, Duration.between(now, s.expires()).toSeconds()), body);
            }
        }
    }

    /**
     * Ends every subscription to {@code resource} with a terminating NOTIFY giving {@code reason}
     * (RFC 6665 §4.1.3), e.g. {@code noresource} when the account it belongs to is deleted.
     */
    public void endAll(String resource, String reason) {
        for (Subscription s : List.copyOf(byId.values())) {
            if (s.resource().equals(resource)) {
                s.timer().cancel();
                end(s.id(), reason);
            }
        }
    }

    private void end(String id, String reason) {
        Subscription s = byId.remove(id);
        if (s != null) {
            notify(s, "terminated;reason=" + reason, pkg.fullState(s.resource()));
        }
    }

    private void notify(Subscription s, String state, byte[] body) {
        SipRequest notify = new NotifierDialog(s.resource(), s.callId(), s.localTag(), s.subscriber(), s.remoteTarget(),
                s.flow(), s.contact()).notify(notifierHost, s.cseq().incrementAndGet(), pkg.event(), state, pkg.contentType(), body);
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
