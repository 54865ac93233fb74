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
 *
 * <p>The text of a source's address and port is made once per flow rather than once per request
 * (issue 13): a peer's datagrams share one flow and so one source address object
 * ({@link DatagramFlows}), as a connection's messages do; a few recent sources are kept in the
 * slots {@link DatagramFlows} would put them in, known by that identity. Used by every receiving
 * thread, unsynchronised: a {@link Source} is immutable, and two threads racing for a slot at
 * worst format one source twice.
 */
final class ViaStamp {
    /** A source address as a Via parameter writes it. */
    private record Source(InetSocketAddress address, String host, String port) {
    }

    private final Source[] recent = new Source[DatagramFlows.SLOTS];

    SipMessage apply(SipMessage message, InetSocketAddress source) {
        if (!(message instanceof SipRequest) || source.getAddress() == null) {
            return message;
        }
        Via top = message.topVia();
        boolean askedForRport = top.hasRport() && top.params().get("rport").isEmpty();
        Source text = text(source);
        // RFC 3581 §4: with rport, received is added even when the sent-by matches the source.
        if (!askedForRport && sameAddress(top.host(), text)) {
            return message;
        }
        Via stamped = top.withParam("received", text.host());
        if (askedForRport) {
            stamped = stamped.withParam("rport", text.port());
        }
        return message.withHeaders(message.headers().withTopVia(stamped));
    }

    private Source text(InetSocketAddress source) {
        int slot = DatagramFlows.slot(source);
        Source known = recent[slot];
        if (known != null && known.address() == source) {
            return known;
        }
        Source made = new Source(source, NetUtil.toAddressString(source.getAddress()), Integer.toString(source.getPort()));
        recent[slot] = made;
        return made;
    }

    /**
     * Compares as addresses, so that "::1" and "[0:0:0:0:0:0:0:1]" are the same host; a name never
     * matches. A sent-by written as the source's own text (nearly every one) needs no parsing.
     */
    private static boolean sameAddress(String sentBy, Source source) {
        if (sentBy.equals(source.host())) {
            return true;
        }
        String host = sentBy.startsWith("[") && sentBy.endsWith("]") ? sentBy.substring(1, sentBy.length() - 1) : sentBy;
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        return literal != null && Arrays.equals(literal, source.address().getAddress().getAddress());
    }
}
