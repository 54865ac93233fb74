package org.parley.msrp.relay;

import java.util.List;
import org.parley.msrp.MsrpMessage;
import org.parley.msrp.MsrpRequest;
import org.parley.msrp.MsrpUri;

/**
 * Parley's own MSRP end of sessions (deferred delivery) as the relay sees it: a next hop that is
 * no user's connection but the server itself. A sender that reaches Parley only through the relay
 * (behind NAT, a browser) names the relay, then the endpoint's URI, in its To-Path; the relay
 * hands such a request over in the process instead of refusing it as a host of the sender's
 * choosing.
 */
public interface LocalEndpoint {
    LocalEndpoint NONE = new LocalEndpoint() {
        @Override
        public boolean serves(MsrpUri uri, MsrpUri relayUri) {
            return false;
        }

        @Override
        public List<MsrpMessage> receive(MsrpRequest request) {
            return List.of();
        }
    };

    /**
     * Whether {@code uri} names an open session of this endpoint whose peer's path goes through
     * {@code relayUri}: the session was set up with that relay URI, which only the user it was
     * granted to can use, so the sender is a party of the session.
     */
    boolean serves(MsrpUri uri, MsrpUri relayUri);

    /**
     * A request the relay carried to one of its sessions, To-Path and From-Path as forwarded: what
     * it answers (the response to it, REPORTs). May block (a message is stored before it is
     * answered): called off the I/O threads, one sender connection's requests in order.
     */
    List<MsrpMessage> receive(MsrpRequest request);
}
