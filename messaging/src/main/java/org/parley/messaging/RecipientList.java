package org.parley.messaging;

import java.util.List;
import java.util.Locale;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.proxy.UserAgent;

/**
 * A MESSAGE for a URI-list service (RFC 5365): multipart/mixed holding the message and an
 * application/resource-lists+xml part with Content-Disposition: recipient-list. An INVITE to a
 * conference factory carries its list the same way (RFC 5366), the SDP offer as the other part.
 *
 * @param storedLists references to lists kept on the server (see {@link StoredLists})
 * @param message     the part that is the message itself, sent to each recipient byte-exact
 */
public record RecipientList(List<String> recipients, List<String> storedLists, Multipart.Part message) {
    static final String OPTION_TAG = "recipient-list-message";

    /** A request asks for explosion when it requires the recipient-list-message extension. */
    static boolean isFor(SipRequest req) {
        if (req.headers().value(HeaderNames.REQUIRE) == null) {
            return false; // asked of every MESSAGE, and nearly none requires anything: no list, no stream
        }
        for (String tag : req.headers().values(HeaderNames.REQUIRE)) {
            if (tag.equalsIgnoreCase(OPTION_TAG)) {
                return true;
            }
        }
        return false;
    }

    /** @throws SipParseException naming what is wrong with the body */
    public static RecipientList parse(SipRequest req) {
        String type = req.contentType().orElse("");
        if (!PagerService.baseType(type).equals("multipart/mixed")) {
            throw new SipParseException("a recipient list needs a multipart/mixed body");
        }
        Multipart body = Multipart.parse(type, req.body());
        Multipart.Part listPart = null;
        Multipart.Part message = null;
        for (Multipart.Part p : body.parts()) {
            boolean isList = p.header("content-disposition").map(d -> d.toLowerCase(Locale.ROOT).startsWith("recipient-list"))
                    .orElse(false);
            if (isList) {
                listPart = p;
            } else if (message == null) {
                message = p;
            }
        }
        if (listPart == null || message == null) {
            throw new SipParseException("the body needs a recipient-list part and a message part");
        }
        ResourceLists.Entries entries = ResourceLists.parse(listPart.content());
        if (entries.uris().isEmpty() && entries.externals().isEmpty()) {
            throw new SipParseException("the recipient list is empty");
        }
        return new RecipientList(entries.uris(), entries.externals(), message);
    }

    /**
     * The copy for one recipient (RFC 5365 §4.1): the message part as the body, the recipient as
     * Request-URI and To, the original sender; a new Call-ID, since each copy is a request of its own.
     */
    SipRequest copyFor(String recipient, SipRequest original) {
        Headers h = Headers.EMPTY;
        for (String name : List.of("Privacy", HeaderNames.EXPIRES, HeaderNames.P_ACCESS_NETWORK_INFO)) {
            for (String v : original.headers().lines(name)) {
                h = h.append(name, v);
            }
        }
        Uri uri = Uri.parse(recipient);
        return UserAgent.request("MESSAGE", uri instanceof SipUri sip ? sip.withoutHeaders() : uri,
                original.headers().first(HeaderNames.FROM).orElseThrow(), "<" + recipient + ">", h,
                message.contentType(), message.content());
    }
}
