package org.parley.sip.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.sip.message.Address;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;

/**
 * One subscription dialog on the notifier's side (RFC 6665 §4.2), whatever the package: the
 * dialog state its NOTIFYs need (Call-ID, tags, route set, remote target, CSeq), its lifetime,
 * and its pace. Made by {@link Notifier#open}. Content NOTIFYs can be paced (at most one per
 * interval, what comes in between folded into one NOTIFY of the latest state), so one busy
 * resource cannot flood its subscribers; NOTIFYs that change the subscription's state go at
 * once. Mutable: its owner's lock guards it.
 */
public final class NotifierDialog {
    private final String id;
    private final String resource;
    private final Address subscriber;
    private final Flow flow;
    private final UserAgent.Dialog dialog;
    private final Headers extra;
    private final AtomicLong cseq;
    private final Instant expiresAt;
    private final Cancellable timer;
    private Instant lastNotify;
    private Cancellable flush;

    NotifierDialog(String id, String resource, Address subscriber, Flow flow, UserAgent.Dialog dialog, Headers extra,
                   NotifierDialog old, Instant expiresAt, Cancellable timer) {
        this.id = id;
        this.resource = resource;
        this.subscriber = subscriber;
        this.flow = flow;
        this.dialog = dialog;
        this.extra = extra;
        // a refresh continues the dialog: its NOTIFYs go on counting, and on being paced
        this.cseq = old != null ? old.cseq : new AtomicLong();
        this.lastNotify = old != null ? old.lastNotify : Instant.EPOCH;
        this.expiresAt = expiresAt;
        this.timer = timer;
    }

    /** Call-ID and this side's tag: what identifies the subscription (the Event header names no id here). */
    public String id() {
        return id;
    }

    /** The subscribed resource, From of the NOTIFYs. */
    public String resource() {
        return resource;
    }

    /** The subscriber as its From named it. */
    public Address subscriber() {
        return subscriber;
    }

    /** This side's Contact, for the 2xx to the SUBSCRIBE as for the NOTIFYs. */
    public String contact() {
        return dialog.contact();
    }

    Headers extra() {
        return extra;
    }

    /** The Subscription-State of an active one: RFC 6665 §4.2.2 wants the time left. */
    public String active(Instant now) {
        return "active;expires=" + Math.max(0, Duration.between(now, expiresAt).toSeconds());
    }

    /**
     * Sends one NOTIFY back over the flow the SUBSCRIBE came on; {@code gone} runs when the
     * subscriber answers 481 or never answers, which ends the subscription (RFC 6665 §4.2.2).
     *
     * @param body empty for a NOTIFY without state (a pending or terminated subscription)
     */
    void notify(Notifier engine, String event, String state, String contentType, byte[] body, Runnable gone) {
        Headers h = Headers.EMPTY.append("Event", event).append("Subscription-State", state);
        for (var header : extra.asList()) {
            h = h.append(header.name(), header.value());
        }
        SipRequest notify = UserAgent.request(dialog, "NOTIFY", cseq.incrementAndGet(), h, contentType, body);
        lastNotify = engine.scheduler().now();
        engine.userAgent().send(notify, Target.of(flow), r -> {
            if (r.status() == 481 || r.status() == 408) {
                gone.run();
            }
        });
    }

    /**
     * Runs {@code send} now when the last NOTIFY is an interval old, else once at the end of the
     * interval, under {@code lock}; calls before then fold into that one, which must send the
     * state as it is then.
     */
    public void paced(Notifier engine, Object lock, Runnable send) {
        if (flush != null) {
            return;
        }
        Instant due = lastNotify.plus(engine.pace());
        Instant now = engine.scheduler().now();
        if (!due.isAfter(now)) {
            send.run();
        } else {
            flush = engine.scheduler().later(Duration.between(now, due), () -> {
                synchronized (lock) {
                    flush = null;
                    send.run();
                }
            });
        }
    }

    /** Stops the lifetime timer and any paced NOTIFY: the subscription ended or was refreshed. */
    public void close() {
        timer.cancel();
        if (flush != null) {
            flush.cancel();
            flush = null;
        }
    }
}
