package org.parley.sip.transport;

import java.net.InetSocketAddress;
import org.parley.sip.message.Via;

/** Where a response goes when not back over the request's connection (RFC 3261 §18.2.2, RFC 3581 §4). */
final class ResponseRouting {
    private ResponseRouting() {
    }

    /** A reliable transport whose connection is gone: a new connection to received:rport, or sent-by. */
    static InetSocketAddress reliable(Via via) {
        int port = via.params().get("rport").filter(ResponseRouting::isPort).map(Integer::parseInt)
                .orElse(via.portOrDefault());
        return address(via.received().orElse(via.host()), port);
    }

    /**
     * UDP: with rport, the response must leave to the exact address and port the request came
     * from, for that is the NAT binding; without, to received (or sent-by) and the sent-by port.
     */
    static InetSocketAddress datagram(Via via, Flow requestFlow) {
        if (via.hasRport()) {
            return requestFlow.remote();
        }
        return address(via.received().orElse(via.host()), via.portOrDefault());
    }

    /**
     * received is an IP literal, and {@link ViaStamp} leaves it out only when the sent-by is the
     * source IP: a name, resolved here blocking, only comes from a Via this transport did not stamp.
     */
    private static InetSocketAddress address(String host, int port) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new InetSocketAddress(literal, port);
    }

    private static boolean isPort(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(Character::isDigit) && Integer.parseInt(s) <= 65535;
    }
}
