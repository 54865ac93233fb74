package org.parley.sip.proxy;

import java.util.UUID;
import org.parley.sip.message.Address;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Uri;
import org.parley.sip.transport.Flow;

/**
 * The notifier's side of one subscription dialog (RFC 6665): enough to write its NOTIFYs. The
 * notifier is a user agent co-located with the proxy, so each NOTIFY carries its own Via.
 *
 * @param resource the subscribed resource, From of the NOTIFY
 * @param flow     where the SUBSCRIBE came from: NOTIFYs go back over it
 * @param contact  this side's Contact (RFC 6665 §4.2.1): an address of this server, so the
 *                 subscriber's refreshes and unsubscribe reach it whatever DNS says of the domain
 */
public record NotifierDialog(String resource, String callId, String localTag, Address subscriber, Uri remoteTarget,
                             Flow flow, String contact) {

    /** @param contentType null when {@code body} is empty */
    public SipRequest notify(String notifierHost, long cseq, String event, String state, String contentType, byte[] body) {
        Headers h = Headers.EMPTY
                .append(HeaderNames.VIA, "SIP/2.0/UDP " + notifierHost + ";branch=z9hG4bK-ntfy-" + UUID.randomUUID())
                .append(HeaderNames.FROM, "<" + resource + ">;tag=" + localTag)
                .append(HeaderNames.TO, subscriber.toString())
                .append(HeaderNames.CALL_ID, callId)
                .append(HeaderNames.CSEQ, cseq + " NOTIFY")
                .append(HeaderNames.MAX_FORWARDS, "70")
                .append(HeaderNames.CONTACT, contact)
                .append("Event", event)
                .append("Subscription-State", state);
        if (contentType != null) {
            h = h.append(HeaderNames.CONTENT_TYPE, contentType);
        }
        return new SipRequest("NOTIFY", remoteTarget, h, body);
    }
}
