package org.parley.sip.transport;

import java.net.InetSocketAddress;

/**
 * The {@link Flow} of a datagram's source, made once per peer rather than once per datagram: a
 * flow and its addresses are some 120 B, and one peer sends many datagrams (issue 13). A few recent flows sit in slots chosen by the source's
 * address and port, so that peers sending in turn (a client and the device it writes to, or a
 * handful of P-CSCFs) do not push each other out. A slot taken by another peer is simply replaced.
 *
 * <p>Read and written by the UDP receivers, unsynchronised: a flow is immutable, so a racing
 * reader sees a whole flow or none, and two receivers racing for a slot at worst make one flow twice.
 */
final class DatagramFlows {
    /** A power of two; a few more than the peers a server usually hears from at once. */
    static final int SLOTS = 64;
    private static final int SHIFT = Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS);

    private final Flow[] recent = new Flow[SLOTS];

    /** The flow from {@code source} to {@code local}: the one made for an earlier datagram when still in its slot. */
    Flow of(InetSocketAddress source, InetSocketAddress local) {
        int slot = slot(source);
        Flow known = recent[slot];
        if (known != null && known.remote().equals(source) && known.local().equals(local)) {
            return known;
        }
        Flow flow = new Flow(Transport.UDP, local, source, null);
        recent[slot] = flow;
        return flow;
    }

    /** The slot of a source: the top bits of its hash, since ports of one host differ in the low ones. */
    static int slot(InetSocketAddress source) {
        return source.hashCode() * 0x9E3779B9 >>> SHIFT;
    }
}
