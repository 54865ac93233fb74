package org.parley.sip.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.sip.message.Address;
import org.parley.sip.message.Header;
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
 * only what cannot be made again when a NOTIFY is written: text as it came (the id that holds
 * Call-ID and tag, the From, the remote target), in one array rather than three strings (two
 * object headers and an array header less each; parsed again for each NOTIFY, which is rare next
 * to the time a subscription lives), the hash of its id so that a {@link SubscriptionTable} finds
 * it without an id string or a map entry, the flow and route set shared with the subscriber's
 * other dialogs, and no timer of its own — the engine's one expiry index ends it.
 */
public final class NotifierDialog {
    /** A header value never holds a line feed (RFC 3261 §7.3.1: folding is undone by the parser). */
    private static final byte SEPARATOR = '\n';

    private final Notifier engine;
    /** UTF-8: the id (Call-ID;tag), the From, the remote target, separated by {@link #SEPARATOR}. */
    private final byte[] text;
    private final int idHash;
    private final String resource;
    private final List<String> routeSet;
    private final Flow flow;
    private final Headers extra;
    /** Epoch milliseconds: a number, not an object, in every dialog. */
    private final long expiresAt;
    private final Runnable expire;
    /** An int, not a long (RFC 3261 §8.1.1.5: below 2**31), so that the dialog fits 72 bytes. */
    private int cseq;
    private long lastNotifyMillis;
    private Cancellable flush;
    private volatile boolean closed;

    NotifierDialog(Notifier engine, String id, String resource, String remote, Uri remoteTarget, List<String> routeSet,
                   Flow flow, Headers extra, NotifierDialog old, Instant expiresAt, Runnable expire) {
        this.engine = engine;
        this.text = (id + (char) SEPARATOR + remote + (char) SEPARATOR + remoteTarget).getBytes(StandardCharsets.UTF_8);
        this.idHash = id.hashCode();
        this.resource = resource;
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
        return part(0);
    }

    /** The hash of {@link #id()}, kept: what a {@link SubscriptionTable} files the dialog under. */
    int idHash() {
        return idHash;
    }

    /** Whether {@code id} is this dialog's (Call-ID and this side's tag), without making a string of its own. */
    boolean hasId(String id) {
        byte[] other = id.getBytes(StandardCharsets.UTF_8);
        return other.length == end(0) && Arrays.equals(text, 0, other.length, other, 0, other.length);
    }

    /** The {@code n}th part of {@link #text}: 0 the id, 1 the From, 2 the remote target. */
    private String part(int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            start = end(start) + 1;
        }
        return new String(text, start, end(start) - start, StandardCharsets.UTF_8);
    }

    private int end(int start) {
        int i = start;
        while (i < text.length && text[i] != SEPARATOR) {
            i++;
        }
        return i;
    }

    /** The subscribed resource, From of the NOTIFYs. */
    public String resource() {
        return resource;
    }

    /** The subscriber as its From named it (kept as text; read again when asked, which is rare). */
    public Address subscriber() {
        try {
            return Address.parse(part(1));
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

    /** Closed: refreshed (a new dialog object took over), unsubscribed or ended. */
    public boolean closed() {
        return closed;
    }

    /** The end of its lifetime, from the engine's expiry index; not for one refreshed or ended meanwhile. */
    void expire() {
        if (!closed) {
            expire.run();
        }
    }

    private synchronized int cseq() {
        return cseq;
    }

    private synchronized int nextCseq() {
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
        Uri target;
        try {
            target = Uri.parse(part(2));
        } catch (SipParseException e) {
            throw new IllegalStateException("the Contact of an accepted SUBSCRIBE no longer parses", e);
        }
        notify(engine, target, event, state, contentType, body, gone);
    }

    /** {@link #notify(Notifier, String, String, String, byte[], Runnable)} to the remote target its SUBSCRIBE's terms hold parsed. */
    void notify(Notifier engine, Uri target, String event, String state, String contentType, byte[] body, Runnable gone) {
        List<Header> lines = new ArrayList<>(2 + extra.asList().size());
        lines.add(new Header("Event", event));
        lines.add(new Header("Subscription-State", state));
        lines.addAll(extra.asList());
        Headers h = Headers.of(lines);
        String id = part(0);
        int semicolon = id.lastIndexOf(';'); // neither a Call-ID nor a tag has one (RFC 3261 §25.1)
        UserAgent.Dialog dialog = new UserAgent.Dialog(id.substring(0, semicolon),
                "<" + resource + ">;tag=" + id.substring(semicolon + 1), part(1), target, routeSet, contact());
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
