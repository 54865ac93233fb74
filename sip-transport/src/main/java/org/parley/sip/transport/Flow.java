package org.parley.sip.transport;

import java.net.InetSocketAddress;

/**
 * The path a message came in on, and the way back (RFC 5626 §3: a flow is a transport-layer
 * association between two hosts). For connection-oriented transports {@code connectionId} names
 * the connection, so that requests to a registered device reuse the connection it registered on;
 * for UDP it is null and the flow is the address pair.
 */
public record Flow(Transport transport, InetSocketAddress local, InetSocketAddress remote, String connectionId) {

    public String token() {
        return transport + "/" + format(local) + "/" + format(remote) + (connectionId == null ? "" : "/" + connectionId);
    }

    public static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
