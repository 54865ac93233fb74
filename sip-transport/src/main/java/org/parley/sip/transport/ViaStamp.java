package org.parley.sip.transport;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.Via;

/**
 * Records in the top Via where a request really came from (RFC 3261 §18.2.1, RFC 3581 §4), so
 * that the response finds its way back through NATs.
 */
final class ViaStamp {
    private ViaStamp() {
    }

    static SipMessage apply(SipMessage message, InetSocketAddress source) {
        if (!(message instanceof SipRequest) || source.getAddress() == null) {
            return message;
        }
        Via top = message.topVia();
        boolean askedForRport = top.hasRport() && top.params().get("rport").isEmpty();
        // RFC 3581 §4: with rport, received is added even when the sent-by matches the source.
        if (!askedForRport && sameAddress(top.host(), source)) {
            return message;
        }
        Via stamped = top.withParam("received", NetUtil.toAddressString(source.getAddress()));
        if (askedForRport) {
            stamped = stamped.withParam("rport", Integer.toString(source.getPort()));
        }
        return message.withHeaders(message.headers().withTopVia(stamped));
    }

    /** Compares as addresses, so that "::1" and "[0:0:0:0:0:0:0:1]" are the same host; a name never matches. */
    private static boolean sameAddress(String sentBy, InetSocketAddress source) {
        String host = sentBy.startsWith("[") && sentBy.endsWith("]") ? sentBy.substring(1, sentBy.length() - 1) : sentBy;
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        return literal != null && Arrays.equals(literal, source.getAddress().getAddress());
    }
}
