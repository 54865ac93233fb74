package org.parley.msrp.sdp;

import java.util.List;

/**
 * The {@code o=} line (RFC 4566 §5.2): who made the description and which version of it this is
 * (RFC 3264 §8: an answerer bumps the version when it changes its description).
 */
public record Origin(String username, String sessionId, long version, Connection address) {
    static Origin parse(String value) throws MalformedSdp {
        List<String> f = Sdp.fields(value);
        if (f.size() != 6 || !f.get(3).equals("IN") || !Sdp.DIGITS.matcher(f.get(1)).matches()
                || !Sdp.DIGITS.matcher(f.get(2)).matches()) {
            throw MalformedSdp.syntax("o= is not '<user> <sess-id> <version> IN <addrtype> <address>': o=" + value);
        }
        Connection address = Connection.parse(String.join(" ", f.subList(3, 6)));
        return new Origin(f.get(0), f.get(1), Long.parseLong(f.get(2)), address);
    }

    @Override
    public String toString() {
        return username + " " + sessionId + " " + version + " " + address;
    }
}
