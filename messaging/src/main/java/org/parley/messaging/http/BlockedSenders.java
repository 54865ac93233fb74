package org.parley.messaging.http;

import org.parley.http.ProblemException;
import org.parley.messaging.SenderIdentity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A blocked-senders list (PP2-23) as the API takes and shows it. Entries are stored canonical
 * ({@link SenderIdentity}) because that is the form the SIP side matches incoming senders in; a
 * client sending "sip:Bob@Example.org;transport=tcp" reads back "sip:bob@example.org".
 */
final class BlockedSenders {
    /** The longest entry the store keeps (JdbiControlsStore); refused here as a 400 rather than failing there. */
    static final int MAX_LENGTH = 512;

    private BlockedSenders() {
    }

    /** @throws ProblemException 400 naming the first entry that is no sip:/sips:/tel: address nor "anonymous" */
    static Set<String> canonical(String field, List<String> entries) {
        Set<String> canonical = new LinkedHashSet<>();
        for (String entry : entries) {
            String sender = SenderIdentity.canonical(entry).orElseThrow(() -> ProblemException.badRequest("'" + field
                    + "' entries must be sip:, sips: or tel:+number URIs or \"" + SenderIdentity.ANONYMOUS
                    + "\", got '" + entry + "'"));
            if (sender.length() > MAX_LENGTH) {
                throw ProblemException.badRequest("'" + field + "' entries must be at most " + MAX_LENGTH
                        + " characters");
            }
            canonical.add(sender);
        }
        return canonical;
    }

    /** Sorted, so that the same list always reads back the same. */
    static List<String> view(Set<String> blocked) {
        return blocked.stream().sorted().toList();
    }
}
