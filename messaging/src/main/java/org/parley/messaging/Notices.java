package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.UserAgent;
import org.parley.xml.XmlWriter;

/**
 * The messages Parley itself sends to users, from its service address: non-delivery notices
 * (MT-2, PP-15) as IMDN when the sender asked for IMDN (RFC 5438 §7.2.1.1) and as text
 * otherwise, "attempted contact" notices (UC 5.6), and "messages waiting" summaries (UC 5.13).
 */
public final class Notices {
    private final String serviceAor;

    public Notices(String serviceUser, String domain) {
        this.serviceAor = "sip:" + serviceUser + "@" + domain;
    }

    public String serviceAor() {
        return serviceAor;
    }

    public SipRequest text(String toAor, String text) {
        return message(toAor, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5438 negative delivery notification for a message that was never delivered. */
    public SipRequest imdnFailure(String toAor, String recipientAor, String messageId, String originalDateTime, Instant now) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\r\n"
                + "<message-id>" + XmlWriter.escape(messageId) + "</message-id>\r\n"
                + "<datetime>" + XmlWriter.escape(originalDateTime) + "</datetime>\r\n"
                + "<recipient-uri>" + XmlWriter.escape(recipientAor) + "</recipient-uri>\r\n"
                + "<original-recipient-uri>" + XmlWriter.escape(recipientAor) + "</original-recipient-uri>\r\n"
                + "<delivery-notification><status><failed/></status></delivery-notification>\r\n"
                + "</imdn>\r\n";
        byte[] content = xml.getBytes(StandardCharsets.UTF_8);
        String cpim = "From: <" + recipientAor + ">\r\n"
                + "To: <" + toAor + ">\r\n"
                + "NS: imdn <" + Cpim.IMDN_NS + ">\r\n"
                + "imdn.Message-ID: " + UUID.randomUUID() + "\r\n"
                + "DateTime: " + now + "\r\n"
                + "\r\n"
                + "Content-Type: message/imdn+xml\r\n"
                + "Content-Disposition: notification\r\n"
                + "Content-Length: " + content.length + "\r\n"
                + "\r\n"
                + xml;
        return message(toAor, "message/cpim", cpim.getBytes(StandardCharsets.UTF_8));
    }

    /** The service is a user agent of its own, co-located with the proxy (no Via: the transaction layer adds it). */
    private SipRequest message(String toAor, String contentType, byte[] body) {
        return UserAgent.request("MESSAGE", SipUri.parse(toAor), "<" + serviceAor + ">", "<" + toAor + ">",
                Headers.EMPTY, contentType, body);
    }

}
