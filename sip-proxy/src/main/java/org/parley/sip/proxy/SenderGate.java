package org.parley.sip.proxy;

import java.util.Optional;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ServerTransaction;

/**
 * Who may have a request relayed to a user: the router asks before anything about the target is
 * looked up, so a stranger learns nothing of which accounts exist (issue 9 §3). The registrar's
 * authentication gate implements it (digest, or a connection the sender registered on).
 */
public interface SenderGate {
    /** Empty when the sender is authenticated; otherwise the answer to send (407 challenge, 403). */
    Optional<SipResponse> refusal(ServerTransaction tx);
}
