package org.parley.sip.transaction;

import java.util.Locale;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Via;

/** What identifies a server transaction (RFC 3261 §17.2.3). */
sealed interface ServerKey {

    /**
     * The key of {@code request} as a transaction of {@code method}: its own method for
     * retransmissions, INVITE when looking for the transaction an ACK or CANCEL belongs to.
     */
    static ServerKey of(SipRequest request, String method) {
        Via top = request.topVia();
        String branch = top.branch().orElse(null);
        if (branch != null && branch.startsWith(Via.MAGIC_COOKIE)) {
            // toLowerCase returns the host itself when it has no capitals, as nearly every sent-by
            return new Branch(branch, top.host().toLowerCase(Locale.ROOT), top.portOrDefault(), method);
        }
        return new Rfc2543(request.requestUri().toString(), request.to().tag().orElse(null),
                request.from().tag().orElse(null), request.callId(), request.cseq().number(), top.toString(), method);
    }

    /** The key as a {@link CompletedLog} keeps it, in Timer J's log. */
    byte[] bytes();

    /**
     * RFC 3261 clients: the branch is unique, qualified by sent-by (host in lower case, port)
     * against clashes between clients; its parts as the parsed Via holds them, no string built.
     */
    record Branch(String branch, String host, int port, String method) implements ServerKey {
        @Override
        public byte[] bytes() {
            return new KeyBytes(1 + KeyBytes.text(branch) + KeyBytes.text(host) + KeyBytes.NUMBER + KeyBytes.text(method), 'B')
                    .put(branch).put(host).put(port).put(method).bytes();
        }
    }

    /** RFC 2543 clients, whose branch (if any) is not unique (§17.2.3, last paragraphs). */
    record Rfc2543(String requestUri, String toTag, String fromTag, String callId, long cseq, String topVia,
                   String method) implements ServerKey {

        /** The INVITE had no To tag yet; the ACK carries the one our response added. */
        Rfc2543 withoutToTag() {
            return new Rfc2543(requestUri, null, fromTag, callId, cseq, topVia, method);
        }

        @Override
        public byte[] bytes() {
            return new KeyBytes(1 + KeyBytes.text(requestUri) + KeyBytes.text(toTag) + KeyBytes.text(fromTag)
                    + KeyBytes.text(callId) + KeyBytes.NUMBER + KeyBytes.text(topVia) + KeyBytes.text(method), 'R')
                    .put(requestUri).put(toTag).put(fromTag).put(callId).put(cseq).put(topVia).put(method).bytes();
        }
    }
}
