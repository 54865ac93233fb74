package org.parley.sip.proxy;

import java.util.Optional;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

/**
 * A service that keeps track of the dialogs the proxy routes between users without answering
 * them itself (the messaging server's chat sessions: usage, limits, session timers, ending a
 * session whose device vanished). The router asks it about each dialog-creating INVITE and
 * shows it every final response before it goes upstream; everything else passes as before.
 */
public interface DialogWatch {
    DialogWatch NONE = new DialogWatch() {
        @Override
        public Admission inviting(SipRequest invite, Flow from, String localTag) {
            return Admission.pass(invite);
        }

        @Override
        public SipResponse answered(SipRequest request, SipResponse response, Flow requester) {
            return response;
        }
    };

    /** Either a refusal to answer the INVITE with, or the INVITE to fork (as it came, or changed). */
    record Admission(Optional<SipResponse> refusal, SipRequest request) {
        public static Admission pass(SipRequest request) {
            return new Admission(Optional.empty(), request);
        }

        public static Admission refuse(SipResponse response, SipRequest request) {
            return new Admission(Optional.of(response), request);
        }
    }

    /**
     * A dialog-creating INVITE from an authenticated sender, about to be forked to the callee's
     * devices (RFC 3261 §16.6): it may be refused (422 for a too short Session-Expires, RFC 4028
     * §8.1; 488 for an offer over the operator's limits) or changed (a Session-Expires added).
     */
    Admission inviting(SipRequest invite, Flow from, String localTag);

    /**
     * A request within a dialog that may carry a new offer (re-INVITE, UPDATE: RFC 3261 §14,
     * RFC 3311), about to be relayed along the dialog's route: a refusal to answer it with (the same
     * offer rules as {@link #inviting}: 488 for a stream over the operator's limits), or empty to
     * let it through as it came.
     */
    default Optional<SipResponse> offering(SipRequest request, String localTag) {
        return Optional.empty();
    }

    /**
     * A final response to a request the proxy forwarded, as it goes upstream over {@code requester}:
     * returns what goes upstream — the response as it came, or changed (a Session-Expires the UAS
     * left out, inserted as RFC 4028 §8.2 lets a proxy).
     */
    SipResponse answered(SipRequest request, SipResponse response, Flow requester);
}
