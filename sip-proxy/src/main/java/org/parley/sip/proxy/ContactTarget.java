package org.parley.sip.proxy;

import java.util.List;
import org.parley.sip.message.SipUri;
import org.parley.sip.transport.Flow;

/**
 * One registered device to send a request to: its contact (the new Request-URI, RFC 3261
 * §16.5), the Path it registered with (pre-loaded as Route, RFC 3327), and the flow it registered
 * on (RFC 5626), reused when it still stands.
 *
 * @param outbound the device registered an RFC 5626 flow: when that flow is gone, the answer is
 *                 430 Flow Failed rather than a new connection to the contact
 */
public record ContactTarget(SipUri contact, List<String> path, Flow flow, boolean outbound, float q) {
    public ContactTarget {
        path = List.copyOf(path);
    }
}
