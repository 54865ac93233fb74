package org.parley.sip.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.sip.message.Address;
import org.parley.sip.message.Header;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.Scheduler;
import org.parley.sip.transaction.ServerTransaction;

/**
 * The RFC 6665 notifier engine every event package of this server runs on (message-summary,
 * xcap-diff, presence, presence.winfo, the resource list server): it settles a SUBSCRIBE's
 * terms (481 for an unknown dialog, Expires with 423 and the maximum, Contact, Accept with 406),
 * answers it with the dialog's Contact and route, opens or refreshes the {@link NotifierDialog},
 * and sends its NOTIFYs as this server's own requests ({@link UserAgent}), ending the
 * subscription on 481 or no answer. What a package adds — its body, who may subscribe, pending
 * or active — stays with the package: {@link EventNotifier} for packages whose state is one body
 * per resource, presence's notifiers for the ones with authorisation and per-watcher views.
 */
public final class Notifier {
    private final UserAgent userAgent;
    private final Scheduler scheduler;
    private final Duration pace;
    private final Expiries expiries;
    private final SharedDialogParts shared = new SharedDialogParts();

    /** @param pace the least time between two content NOTIFYs of one subscription (zero: no pacing) */
    public Notifier(UserAgent userAgent, Scheduler scheduler, Duration pace) {
        this.userAgent = userAgent;
        this.scheduler = scheduler;
        this.pace = pace;
        this.expiries = new Expiries(scheduler);
    }

    Expiries expiries() {
        return expiries;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    UserAgent userAgent() {
        return userAgent;
    }

    Duration pace() {
        return pace;
    }

    /** The subscription's key: Call-ID and our tag identify the dialog. */
    public static String dialogId(ServerTransaction tx) {
        return tx.request().callId() + ";" + tx.localTag();
    }

    /**
     * A SUBSCRIBE inside a dialog this notifier does not know gets 481 (RFC 6665 §4.2.1.2).
     *
     * @return whether it was answered so
     */
    public static boolean unknownDialog(ServerTransaction tx, boolean known) {
        if (!known && tx.request().to().tag().isPresent()) {
            tx.respond(tx.request().createResponse(481, "Subscription Does Not Exist", tx.localTag()));
            return true;
        }
        return false;
    }

    /**
     * The terms of a SUBSCRIBE, or empty when it was refused (and answered): 400 for a bad
     * Expires or Contact or none, 423 with Min-Expires below the minimum, 406 with Accept when
     * the subscriber takes none of {@code contentTypes} (RFC 6665 §8.3.3; an empty list leaves
     * the format to the package).
     */
    public Optional<SubscribeTerms> terms(ServerTransaction tx, SubscribeTerms.Limits limits, List<String> contentTypes) {
        SipRequest req = tx.request();
        Duration expires;
        try {
            expires = req.header(HeaderNames.EXPIRES)
                    .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                    .orElse(limits.dflt());
        } catch (SipParseException e) {
            return refuse(tx, req.createResponse(400, "Bad Expires", tx.localTag()));
        }
        if (!expires.isZero() && expires.compareTo(limits.min()) < 0) {
            return refuse(tx, req.createResponse(423, "Interval Too Brief", tx.localTag())
                    .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(limits.min().toSeconds())));
        }
        if (!contentTypes.isEmpty() && !AcceptHeader.of(req).allowsAny(contentTypes.toArray(String[]::new))) {
            return refuse(tx, req.createResponse(406, "Not Acceptable", tx.localTag())
                    .withHeader(HeaderNames.ACCEPT, String.join(", ", contentTypes)));
        }
        Optional<String> contact = req.headers().values(HeaderNames.CONTACT).stream().findFirst();
        if (contact.isEmpty()) {
            return refuse(tx, req.createResponse(400, "SUBSCRIBE without Contact", tx.localTag()));
        }
        try {
            Uri target = Address.parse(contact.get()).uri();
            return Optional.of(new SubscribeTerms(expires.compareTo(limits.max()) > 0 ? limits.max() : expires,
                    target, req.headers().values(HeaderNames.RECORD_ROUTE)));
        } catch (SipParseException e) {
            return refuse(tx, req.createResponse(400, "Bad Contact", tx.localTag()));
        }
    }

    private static Optional<SubscribeTerms> refuse(ServerTransaction tx, SipResponse response) {
        tx.respond(response);
        return Optional.empty();
    }

    /**
     * The dialog a SUBSCRIBE creates or refreshes ({@code old}, closed here); {@code expire} runs
     * when its lifetime is over.
     *
     * @param extra headers the 2xx and every NOTIFY of it carry (Require: eventlist for a list, RFC 4662)
     */
    public NotifierDialog open(ServerTransaction tx, String resource, SubscribeTerms terms, NotifierDialog old,
                               Headers extra, Runnable expire) {
        if (old != null) {
            old.close();
        }
        SipRequest req = tx.request();
        // the From as it came (the parser checked it): the NOTIFYs' To, without writing the parsed one out again
        NotifierDialog d = new NotifierDialog(this, dialogId(tx), resource, req.headers().value(HeaderNames.FROM), terms.target(),
                shared.routeSet(terms.routeSet()), shared.flow(tx.flow()), extra, old,
                scheduler.now().plus(terms.expires()), expire);
        if (!terms.expires().isZero()) {
            expiries.add(d);
        }
        return d;
    }

    /**
     * The 2xx to the SUBSCRIBE (RFC 6665 §4.2.1.1): 200, or 202 while the subscription is
     * pending; the granted Expires, this side's Contact, the dialog's own headers and the
     * Record-Route (RFC 3261 §12.1.1).
     */
    public void accept(ServerTransaction tx, NotifierDialog dialog, SubscribeTerms terms, boolean pending) {
        SipResponse ok = tx.request().createResponse(pending ? 202 : 200, pending ? "Accepted" : "OK", tx.localTag());
        // the lines gathered in one list: each append would copy all of them again (one 2xx per subscription)
        List<Header> base = ok.headers().asList();
        List<Header> extra = dialog.extra().asList();
        List<Header> lines = new ArrayList<>(base.size() + 2 + extra.size() + terms.routeSet().size());
        lines.addAll(base);
        lines.add(new Header(HeaderNames.EXPIRES, Long.toString(terms.expires().toSeconds())));
        lines.add(new Header(HeaderNames.CONTACT, dialog.contact()));
        lines.addAll(extra);
        for (String route : terms.routeSet()) {
            lines.add(new Header(HeaderNames.RECORD_ROUTE, route));
        }
        tx.respond(ok.withHeaders(Headers.of(lines)));
    }

    /**
     * Sends one NOTIFY of {@code dialog}; {@code gone} runs when the subscriber answers 481 or
     * never answers: the subscription is over (RFC 6665 §4.2.2).
     *
     * @param body empty for a NOTIFY without state; {@code contentType} is then not sent
     */
    public void notify(NotifierDialog dialog, String event, String state, String contentType, byte[] body,
                       Runnable gone) {
        dialog.notify(this, event, state, contentType, body, gone);
    }

    /**
     * The NOTIFY that follows the 2xx of the SUBSCRIBE whose {@code terms} opened or refreshed
     * {@code dialog}: as {@link #notify}, to the remote target the terms hold parsed, rather than
     * the dialog's Contact text parsed again (issue 13: each subscription parsed its Contact twice).
     */
    public void notifyFirst(NotifierDialog dialog, SubscribeTerms terms, String event, String state, String contentType,
                            byte[] body, Runnable gone) {
        dialog.notify(this, terms.target(), event, state, contentType, body, gone);
    }
}
