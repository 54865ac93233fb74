package org.parley.sip.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.parley.sip.message.Address;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
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
 *
 * <p>A server holds hundreds of thousands of these, idle nearly all their life, so each keeps
 * only what cannot be made again when a NOTIFY is written: text as it came (the From, the remote
 * target, the id that holds Call-ID and tag; parsed again for each NOTIFY, which is rare next to
 * the time a subscription lives), the flow and route set shared with the subscriber's other
 * dialogs, and no timer of its own — the engine's one expiry index ends it.
 */
public final class NotifierDialog {
    private final Notifier engine;
    private final String id;
    private final String resource;
    private final String remote;
    private final String remoteTarget;
    private final List<String> routeSet;
    private final Flow flow;
    private final Headers extra;
    /** Epoch milliseconds: a number, not an object, in every dialog. */
    private final long expiresAt;
    private final Runnable expire;
    private long cseq;
    private long lastNotifyMillis;
    private Cancellable flush;
    private volatile boolean closed;

    NotifierDialog(Notifier engine, String id, String resource, String remote, Uri remoteTarget, List<String> routeSet,
                   Flow flow, Headers extra, NotifierDialog old, Instant expiresAt, Runnable expire) {
        this.engine = engine;
        this.id = id;
        this.resource = resource;
        this.remote = remote;
        this.remoteTarget = remoteTarget.toString();
        this.routeSet = routeSet;
        this.flow = flow;
        this.extra = extra;
        // a refresh continues the dialog: its NOTIFYs go on counting, and on being paced
        this.cseq = old != null ? old.cseq() : 0;
        this.lastNotifyMillis = old != null ? old.lastNotifyMillis : Long.MIN_VALUE;
        this.expiresAt = expiresAt.toEpochMilli();
        this.expire = expire;
    }

    /** Call-ID and this side's tag: what identifies the subscription (the Event header names no id here). */
    public String id() {
        return id;
    }

    /** The subscribed resource, From of the NOTIFYs. */
    public String resource() {
        return resource;
    }

    /** The subscriber as its From named it (kept as text; read again when asked, which is rare). */
    public Address subscriber() {
        try {
            return Address.parse(remote);
        } catch (SipParseException e) {
            throw new IllegalStateException("the From of an accepted SUBSCRIBE no longer parses", e);
        }
    }

    /** This side's Contact, for the 2xx to the SUBSCRIBE as for the NOTIFYs. */
    public String contact() {
        return engine.userAgent().contact(resource, flow);
    }

    Headers extra() {
        return extra;
    }

    long expiresAt() {
        return expiresAt;
    }

    boolean closed() {
        return closed;
    }

    /** The end of its lifetime, from the engine's expiry index; not for one refreshed or ended meanwhile. */
    void expire() {
        if (!closed) {
            expire.run();
        }
    }

    private synchronized long cseq() {
        return cseq;
    }

    private synchronized long nextCseq() {
        return ++cseq;
    }

    /** The Subscription-State of an active one: RFC 6665 §4.2.2 wants the time left. */
    public String active(Instant now) {
        return "active;expires=" + Math.max(0, Duration.between(now, Instant.ofEpochMilli(expiresAt)).toSeconds());
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
        int semicolon = id.lastIndexOf(';'); // neither a Call-ID nor a tag has one (RFC 3261 §25.1)
        Uri target;
        try {
            target = Uri.parse(remoteTarget);
        } catch (SipParseException e) {
            throw new IllegalStateException("the Contact of an accepted SUBSCRIBE no longer parses", e);
        }
        UserAgent.Dialog dialog = new UserAgent.Dialog(id.substring(0, semicolon),
                "<" + resource + ">;tag=" + id.substring(semicolon + 1), remote, target, routeSet, contact());
        SipRequest notify = UserAgent.request(dialog, "NOTIFY", nextCseq(), h, contentType, body);
        lastNotifyMillis = engine.scheduler().now().toEpochMilli();
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
        Instant now = engine.scheduler().now();
        Instant due = lastNotifyMillis == Long.MIN_VALUE ? now : Instant.ofEpochMilli(lastNotifyMillis).plus(engine.pace());
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

    /** Stops the lifetime and any paced NOTIFY: the subscription ended or was refreshed. */
    public void close() {
        if (!closed) {
            closed = true;
            engine.expiries().closed(this);
        }
        if (flush != null) {
            flush.cancel();
            flush = null;
        }
    }
}
