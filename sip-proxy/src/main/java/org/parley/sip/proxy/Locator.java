package org.parley.sip.proxy;

import java.util.List;
import java.util.Optional;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;

/** Where the requests for a local address go: the registrar's bindings, seen from the proxy. */
public interface Locator {
    /** Whether the URI names an existing account of this domain (404 when not). */
    boolean exists(Uri requestUri);

    /** The devices to fork to, highest preference first; empty when none is registered (480). */
    List<ContactTarget> lookup(Uri requestUri);

    /**
     * The devices registered under an address of record in its canonical form ({@link
     * LocalDomains#aorOf}), as {@link #lookup} finds them for it, highest preference first: for
     * callers that hold the AOR already and need neither its parsing nor the account it names.
     */
    default List<ContactTarget> devicesOf(String aor) {
        return lookup(SipUri.parse(aor));
    }

    /** The target whose registered contact is exactly this URI, for requests sent to a contact (ACK, in-dialog). */
    Optional<ContactTarget> byContact(Uri contactUri);
}
