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

    /** The inverse of {@link #token()}. @throws IllegalArgumentException when it is not one */
    public static Flow parse(String token) {
        String[] p = token.split("/", 4);
        if (p.length < 3) {
            throw new IllegalArgumentException("not a flow token");
        }
        return new Flow(Transport.valueOf(p[0]), parseAddress(p[1]), parseAddress(p[2]), p.length == 4 ? p[3] : null);
    }

    /** The inverse of {@link #format}: "host:port" or "[v6]:port". */
    public static InetSocketAddress parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not host:port: " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
