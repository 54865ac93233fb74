package org.parley.presence;

import java.time.Duration;
import java.util.Optional;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.HeaderValues;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.ServerTransaction;

/**
 * What every SUBSCRIBE this server answers as notifier must settle first (RFC 6665 §4.2.1):
 * the lifetime it grants (423 below the minimum, capped at the maximum; 0 is a fetch or an
 * unsubscribe) and where NOTIFYs go (the Contact, 400 without one).
 *
 * @param expires granted lifetime
 * @param target  the subscriber's Contact: the remote target of the dialog
 */
record SubscribeTerms(Duration expires, Uri target) {

    /** The terms, or empty when the refusal has been sent. */
    static Optional<SubscribeTerms> of(ServerTransaction tx, PresenceSettings settings) {
        SipRequest req = tx.request();
        Duration expires;
        try {
            expires = req.header(HeaderNames.EXPIRES)
                    .map(v -> Duration.ofSeconds(HeaderValues.boundedNumber(v, 0xFFFFFFFFL, "Expires")))
                    .orElse(settings.defaultSubscribe());
        } catch (SipParseException e) {
            tx.respond(req.createResponse(400, "Bad Expires", tx.localTag()));
            return Optional.empty();
        }
        if (!expires.isZero() && expires.compareTo(settings.minSubscribe()) < 0) {
            tx.respond(req.createResponse(423, "Interval Too Brief", tx.localTag())
                    .withHeader(HeaderNames.MIN_EXPIRES, Long.toString(settings.minSubscribe().toSeconds())));
            return Optional.empty();
        }
        Optional<String> contact = req.headers().values(HeaderNames.CONTACT).stream().findFirst();
        if (contact.isEmpty()) {
            tx.respond(req.createResponse(400, "SUBSCRIBE without Contact", tx.localTag()));
            return Optional.empty();
        }
        try {
            Uri target = Address.parse(contact.get()).uri();
            return Optional.of(new SubscribeTerms(expires.compareTo(settings.maxSubscribe()) > 0
                    ? settings.maxSubscribe() : expires, target));
        } catch (SipParseException e) {
            tx.respond(req.createResponse(400, "Bad Contact", tx.localTag()));
            return Optional.empty();
        }
    }

    /** The subscription's key: Call-ID and our tag identify the dialog, the Event header names no id here. */
    static String dialogId(ServerTransaction tx) {
        return tx.request().callId() + ";" + tx.localTag();
    }

    /** A SUBSCRIBE inside a dialog this notifier does not know (RFC 6665 §4.2.1.2: 481). */
    static boolean unknownDialog(ServerTransaction tx, boolean known) {
        if (!known && tx.request().to().tag().isPresent()) {
            tx.respond(tx.request().createResponse(481, "Subscription Does Not Exist", tx.localTag()));
            return true;
        }
        return false;
    }
}
