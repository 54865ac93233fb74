package org.parley.msrp.sdp;

import java.util.List;

/**
 * A {@code c=} line (RFC 4566 §5.7): network type IN, address type IP4 or IP6, and the address.
 * MSRP does not use it to reach the peer (the {@code a=path} URIs say where, RFC 4975 §8.1), but
 * RFC 4566 requires it and relays and ICE-less clients still read it.
 */
public record Connection(String addressType, String address) {
    public Connection {
        if (!addressType.equals("IP4") && !addressType.equals("IP6")) {
            throw new IllegalArgumentException("address type " + addressType);
        }
    }

    public static Connection of(String address) {
        return new Connection(address.contains(":") ? "IP6" : "IP4", address);
    }

    static Connection parse(String value) throws MalformedSdp {
        List<String> f = Sdp.fields(value);
        if (f.size() != 3 || !f.get(0).equals("IN") || !(f.get(1).equals("IP4") || f.get(1).equals("IP6"))) {
            throw MalformedSdp.syntax("c= is not 'IN IP4|IP6 <address>': c=" + value);
        }
        return new Connection(f.get(1), f.get(2));
    }

    @Override
    public String toString() {
        return "IN " + addressType + " " + address;
    }
}
