package org.parley.messaging;

import java.time.Instant;
import org.parley.sip.message.SipRequest;

/**
 * One message as submitted: the request, who sent it to whom (canonical AORs of the accounts,
 * whatever identity was used), the sender's access (PP-49) and when.
 */
record Submission(SipRequest request, String senderAor, String recipientAor, String senderAccess, Instant at) {
}
