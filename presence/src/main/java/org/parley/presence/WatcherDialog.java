package org.parley.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.sip.message.SipRequest;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.NotifierDialog;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.Target;

/**
 * One subscription dialog on the notifier's side (RFC 6665 §4.2), shared by the presence,
 * watcher-info and resource-list notifiers: what NOTIFYs need, the lifetime, and the pace.
 * Content NOTIFYs are paced (at most one per interval per subscription, what comes in between
 * folded into one NOTIFY of the latest state), so one busy presentity cannot flood its
 * watchers; NOTIFYs that change the subscription's state go at once. Mutable; its owner's
 * lock guards it.
 */
final class WatcherDialog {
    /** Sends NOTIFYs for the notifiers of this server. */
    record Outbox(Forker forker, String notifierHost, Scheduler scheduler, Duration interval) {
        /** Sends one NOTIFY; {@code gone} runs when the subscriber answers 481 or never answers (RFC 6665 §4.2.2). */
        void send(WatcherDialog d, String event, String state, String contentType, byte[] body, Runnable gone) {
            SipRequest notify = d.dialog.notify(notifierHost, d.cseq.incrementAndGet(), event, state,
                    body.length > 0 ? contentType : null, body);
            if (d.requireEventlist) {
                notify = notify.withHeaders(notify.headers().append("Require", "eventlist"));
            }
            d.lastNotify = scheduler.now();
            forker.along(notify, Target.of(d.dialog.flow()), d.dialog.localTag(), r -> {
                if (r.isFinal() && (r.status() == 481 || r.status() == 408)) {
                    gone.run();
                }
            }, () -> { });
        }
    }

    final String id;
    final String resource;
    final NotifierDialog dialog;
    private final AtomicLong cseq;
    private final boolean requireEventlist;
    private final long expiresAt;
    private final Cancellable timer;
    private Instant lastNotify = Instant.EPOCH;
    private Cancellable flush;

    private WatcherDialog(String id, String resource, NotifierDialog dialog, AtomicLong cseq, boolean requireEventlist,
                          long expiresAt, Cancellable timer) {
        this.id = id;
        this.resource = resource;
        this.dialog = dialog;
        this.cseq = cseq;
        this.requireEventlist = requireEventlist;
        this.expiresAt = expiresAt;
        this.timer = timer;
    }

    /**
     * The dialog a SUBSCRIBE creates or refreshes ({@code old}, cancelled here); {@code expire}
     * runs when its lifetime is over.
     */
    static WatcherDialog open(ServerTransaction tx, String resource, SubscribeTerms terms, WatcherDialog old,
                              boolean requireEventlist, Outbox out, Runnable expire) {
        if (old != null) {
            old.close();
        }
        var req = tx.request();
        WatcherDialog d = new WatcherDialog(SubscribeTerms.dialogId(tx), resource,
                new NotifierDialog(resource, req.callId(), tx.localTag(), req.from(), terms.target(), tx.flow(),
                        out.forker().contactFor(resource, tx.flow())),
                old != null ? old.cseq : new AtomicLong(), requireEventlist,
                out.scheduler().now().plus(terms.expires()).getEpochSecond(),
                terms.expires().isZero() ? () -> { } : out.scheduler().later(terms.expires(), expire));
        if (old != null) {
            d.lastNotify = old.lastNotify;
        }
        return d;
    }

    /** This side's Contact, for the 2xx to the SUBSCRIBE as for the NOTIFYs. */
    String contact() {
        return dialog.contact();
    }

    /** The Subscription-State of an active one: RFC 6665 §4.2.2 wants the time left. */
    String active(Instant now) {
        return "active;expires=" + Math.max(0, expiresAt - now.getEpochSecond());
    }

    /**
     * Runs {@code send} now when the last NOTIFY is an interval old, else once at the end of the
     * interval, under {@code lock}; calls before then fold into that one, which must send the
     * state as it is then.
     */
    void paced(Outbox out, Object lock, Runnable send) {
        if (flush != null) {
            return;
        }
        Instant due = lastNotify.plus(out.interval());
        Instant now = out.scheduler().now();
        if (!due.isAfter(now)) {
            send.run();
        } else {
            flush = out.scheduler().later(Duration.between(now, due), () -> {
                synchronized (lock) {
                    flush = null;
                    send.run();
                }
            });
        }
    }

    void close() {
        timer.cancel();
        if (flush != null) {
            flush.cancel();
            flush = null;
        }
    }
}
