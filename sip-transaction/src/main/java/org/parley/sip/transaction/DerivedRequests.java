package org.parley.sip.transaction;

import org.parley.sip.message.CSeq;
import org.parley.sip.message.HeaderNames;
import org.parley.sip.message.Headers;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;

/** The requests the transaction layer builds from a client's INVITE: the non-2xx ACK and the CANCEL. */
final class DerivedRequests {
    private DerivedRequests() {
    }

    /** §17.1.1.3: the same top Via (so the same branch), Route and From; the To of the response. */
    static SipRequest ack(SipRequest invite, SipResponse response) {
        return derive(invite, "ACK", response.headers().first(HeaderNames.TO).orElseThrow());
    }

    /** §9.1: identical Request-URI, Call-ID, To, From, CSeq number, top Via and Route. */
    static SipRequest cancel(SipRequest invite) {
        return derive(invite, "CANCEL", invite.headers().first(HeaderNames.TO).orElseThrow());
    }

    private static SipRequest derive(SipRequest invite, String method, String to) {
        Headers h = Headers.EMPTY.append(HeaderNames.VIA, invite.topVia().toString());
        for (String route : invite.headers().lines(HeaderNames.ROUTE)) {
            h = h.append(HeaderNames.ROUTE, route);
        }
        h = h.append(HeaderNames.MAX_FORWARDS, invite.headers().first(HeaderNames.MAX_FORWARDS).orElse("70"))
                .append(HeaderNames.FROM, invite.headers().first(HeaderNames.FROM).orElseThrow())
                .append(HeaderNames.TO, to)
                .append(HeaderNames.CALL_ID, invite.callId())
                .append(HeaderNames.CSEQ, new CSeq(invite.cseq().number(), method).toString());
        return new SipRequest(method, invite.requestUri(), h, SipRequest.NO_BODY);
    }
}
