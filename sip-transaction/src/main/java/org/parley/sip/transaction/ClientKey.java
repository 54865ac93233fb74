package org.parley.sip.transaction;

import java.util.Locale;
import org.parley.sip.message.Via;

/** What identifies a client transaction (RFC 3261 §17.1.3): our branch and the CSeq method. */
record ClientKey(String branch, String method) {

    /**
     * The key as Timer K's {@link CompletedLog} keeps it: with the sent-by of the top Via, ours
     * when the transaction completes, the response's when one arrives, so that only a response
     * carrying our sent-by matches (§17.1.3); the host in lower case, as it compares.
     */
    byte[] bytes(Via top) {
        String host = top.host().toLowerCase(Locale.ROOT);
        return new KeyBytes(1 + KeyBytes.text(branch) + KeyBytes.text(method) + KeyBytes.text(host) + KeyBytes.NUMBER, 'C')
                .put(branch).put(method).put(host).put(top.port()).bytes();
    }
}
