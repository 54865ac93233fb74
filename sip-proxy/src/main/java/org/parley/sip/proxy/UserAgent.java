package org.parley.sip.proxy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.parley.sip.message.Header;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;
import org.parley.sip.transaction.Ids;
import org.parley.sip.transaction.Target;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;

/**
 * This server as a user agent client (RFC 3261 §8.1): the one way it writes the requests it
 * originates itself — its notifiers' NOTIFYs, notices, the copies a recipient list fans out.
 * Such a request carries no Via of its own: the transaction layer puts the only one on, naming
 * the transport the request really leaves on (no invented UDP hop on a TCP or WebSocket flow).
 */
public final class UserAgent {
    /**
     * The state of a dialog that a request is sent in (RFC 3261 §12.2.1.1).
     *
     * @param local        From: this side's URI with its tag
     * @param remote       To: the peer's address with its tag, as it gave it
     * @param remoteTarget the Request-URI: the peer's Contact
     * @param routeSet     Route headers, in order (§12.1.1: the Record-Route of the request that made the dialog)
     * @param contact      this side's Contact, an address of this server reachable over the dialog's flow
     */
    public record Dialog(String callId, String local, String remote, Uri remoteTarget, List<String> routeSet,
                         String contact) {
        public Dialog {
            routeSet = List.copyOf(routeSet);
        }
    }

    /**
     * The To tag of the final response this side makes up for its own request when none came
     * (408): it goes to {@code onFinal} only, never on the wire, so it need not be unique — not a
     * draw from the random source for every NOTIFY (issue 13: a tenth of a NOTIFY's CPU).
     */
    private static final String OWN_ANSWER_TAG = "local";

    /** A resource and the start of its Contact, "&lt;sip:user@". */
    private record Named(String resource, String prefix) {
    }

    private final Forker forker;
    private final SipTransport transport;
    private final String[] addresses = new String[Transport.values().length];
    /**
     * The resource a Contact was last written for: a notifier writes one for the 2xx and again for
     * the NOTIFY right after it, and one for each watcher of a presentity that changed, so the
     * resource's URI is parsed once for all of them rather than each time (issue 13). One entry,
     * swapped whole: a thread that finds another resource parses its own.
     */
    private volatile Named lastNamed;

    public UserAgent(Forker forker) {
        this.forker = forker;
        this.transport = forker.transport();
    }

    /**
     * A request outside any dialog (§8.1.1): a new Call-ID, a From tag unless {@code from} has
     * one (a recipient list's copy keeps its sender's), CSeq 1, Max-Forwards 70.
     *
     * @param from a From header value, e.g. "&lt;sip:parley@example.org&gt;"
     * @param to   a To header value
     */
    public static SipRequest request(String method, Uri requestUri, String from, String to, Headers extra,
                                     String contentType, byte[] body) {
        String local = from.contains(";tag=") ? from : from + ";tag=" + Ids.tag();
        Dialog none = new Dialog(Ids.callId(), local, to, requestUri, List.of(), null);
        return request(none, method, 1, extra, contentType, body);
    }

    /**
     * A request within {@code dialog} (§12.2.1.1), with the CSeq number the caller keeps. The
     * header lines are gathered in one list ({@link Headers#append} copies the lines each time:
     * a NOTIFY's dozen lines were 2.2 KB of garbage, issue 13).
     */
    public static SipRequest request(Dialog dialog, String method, long cseq, Headers extra, String contentType,
                                     byte[] body) {
        List<Header> h = new ArrayList<>(dialog.routeSet().size() + extra.asList().size() + 7);
        for (String route : dialog.routeSet()) {
            h.add(new Header(HeaderNames.ROUTE, route));
        }
        h.add(new Header(HeaderNames.FROM, dialog.local()));
        h.add(new Header(HeaderNames.TO, dialog.remote()));
        h.add(new Header(HeaderNames.CALL_ID, dialog.callId()));
        h.add(new Header(HeaderNames.CSEQ, cseq + " " + method));
        h.add(new Header(HeaderNames.MAX_FORWARDS, "70"));
        if (dialog.contact() != null) {
            h.add(new Header(HeaderNames.CONTACT, dialog.contact()));
        }
        h.addAll(extra.asList());
        if (body.length > 0) {
            h.add(new Header(HeaderNames.CONTENT_TYPE, contentType));
        }
        return new SipRequest(method, dialog.remoteTarget(), Headers.of(h), body);
    }

    /**
     * Sends a request this server wrote straight to one hop: a dialog's flow, or the address of a
     * contact. {@code onFinal} gets the final response (408 when none came, §17.1.2.2).
     */
    public void send(SipRequest request, Target target, Consumer<SipResponse> onFinal) {
        forker.originate(request, target, OWN_ANSWER_TAG, response -> {
            if (response.isFinal()) {
                onFinal.accept(response);
            }
        });
    }

    /**
     * A Contact for a dialog this server takes part in as {@code resource} (a notifier, RFC 6665
     * §4.2.1): the resource's user at the address the peer reached us on, with its transport, so
     * the peer's refreshes come back to this server whatever DNS says of the domain.
     */
    public String contact(String resource, Flow flow) {
        Named named = lastNamed;
        if (named == null || !named.resource().equals(resource)) {
            named = lastNamed = new Named(resource, "<sip:" + user(resource));
        }
        return named.prefix() + address(flow.transport());
    }

    private static String user(String resource) {
        try {
            if (Uri.parse(resource) instanceof SipUri u && u.user() != null && !u.user().isEmpty()) {
                return u.user() + "@";
            }
        } catch (SipParseException e) {
            // not a SIP URI: the server's address alone still reaches it
        }
        return "";
    }

    /**
     * "host:port;transport=x>" of a transport, written once: a notifier asks for its Contact twice per
     * subscription (the 2xx, the NOTIFY), and the advertised address is fixed once the transport listens.
     * A race writes the same string twice, harmlessly.
     */
    private String address(Transport t) {
        String known = addresses[t.ordinal()];
        if (known == null) {
            InetSocketAddress us = transport.advertised(t);
            String param = t == Transport.UDP ? "" : ";transport=" + t.name().toLowerCase(Locale.ROOT);
            known = addresses[t.ordinal()] = us.getHostString() + ":" + us.getPort() + param + ">";
        }
        return known;
    }
}
