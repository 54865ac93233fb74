package org.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.xml.XmlWriter;

/**
 * The messages Parley itself sends to users, from its service address: non-delivery notices
 * (MT-2, PP-15) as IMDN when the sender asked for IMDN (RFC 5438 §7.2.1.1) and as text
 * otherwise, "attempted contact" notices (UC 5.6), and "messages waiting" summaries (UC 5.13).
 */
public final class Notices {
    private final String serviceAor;
    private final String domain;

    public Notices(String serviceUser, String domain) {
        this.serviceAor = "sip:" + serviceUser + "@" + domain;
        this.domain = domain;
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

    private SipRequest message(String toAor, String contentType, byte[] body) {
        String callId = UUID.randomUUID().toString();
        // the service is a user agent of its own, co-located with the proxy: it has its own Via
        Headers h = Headers.EMPTY
                .append(HeaderNames.VIA, "SIP/2.0/UDP " + domain + ";branch=z9hG4bK-svc-" + callId)
                .append(HeaderNames.FROM, "<" + serviceAor + ">;tag=" + callId.substring(0, 8))
                .append(HeaderNames.TO, "<" + toAor + ">")
                .append(HeaderNames.CALL_ID, callId)
                .append(HeaderNames.CSEQ, "1 MESSAGE")
                .append(HeaderNames.MAX_FORWARDS, "70")
                .append(HeaderNames.CONTENT_TYPE, contentType);
        return new SipRequest("MESSAGE", SipUri.parse(toAor), h, body);
    }

}
