package org.parley.sip.transaction;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.Transport;

/**
 * A {@link Flow} as a {@link CompletedLog} entry keeps it, so that a repeated answer goes to the
 * flow it first went to (RFC 3261 §17.2.2): the transport, both addresses (an IPv4 address in 4
 * octets, an IPv6 one in 16 with its scope, an unresolved one by its name; each with its port)
 * and the connection id, if any. Only ever reads what {@link #put} wrote.
 */
final class FlowOctets {
    private static final byte NO_ADDRESS = 0;
    private static final byte UNRESOLVED = 1;
    private static final byte V4 = 4;
    private static final byte V6 = 6;

    private FlowOctets() {
    }

    /** What {@link #put} writes for {@code flow}; none for null. */
    static int size(Flow flow) {
        if (flow == null) {
            return 0;
        }
        String id = flow.connectionId();
        return 1 + addressSize(flow.local()) + addressSize(flow.remote()) + 2
                + (id == null ? 0 : id.getBytes(StandardCharsets.UTF_8).length);
    }

    private static int addressSize(InetSocketAddress a) {
        if (a == null) {
            return 1;
        }
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet4Address) {
            return 1 + 4 + 2;
        }
        if (ip instanceof Inet6Address) {
            return 1 + 16 + 4 + 2;
        }
        return 1 + 2 + a.getHostString().getBytes(StandardCharsets.UTF_8).length + 2;
    }

    /** Writes {@code flow} at {@code at}, {@link #size} octets; nothing for null. */
    static void put(ByteBuffer chunk, int at, Flow flow) {
        if (flow == null) {
            return;
        }
        chunk.put(at++, (byte) (flow.transport().ordinal() + 1));
        at = putAddress(chunk, at, flow.local());
        at = putAddress(chunk, at, flow.remote());
        String id = flow.connectionId();
        if (id == null) {
            chunk.putShort(at, (short) -1);
        } else {
            byte[] octets = id.getBytes(StandardCharsets.UTF_8);
            chunk.putShort(at, (short) octets.length);
            chunk.put(at + 2, octets);
        }
    }

    private static int putAddress(ByteBuffer chunk, int at, InetSocketAddress a) {
        if (a == null) {
            chunk.put(at, NO_ADDRESS);
            return at + 1;
        }
        InetAddress ip = a.getAddress();
        if (ip instanceof Inet6Address v6) {
            chunk.put(at, V6);
            chunk.put(at + 1, v6.getAddress());
            chunk.putInt(at + 17, v6.getScopeId());
            at += 21;
        } else if (ip != null) {
            chunk.put(at, V4);
            chunk.put(at + 1, ip.getAddress());
            at += 5;
        } else {
            byte[] host = a.getHostString().getBytes(StandardCharsets.UTF_8);
            chunk.put(at, UNRESOLVED);
            chunk.putShort(at + 1, (short) host.length);
            chunk.put(at + 3, host);
            at += 3 + host.length;
        }
        chunk.putShort(at, (short) a.getPort());
        return at + 2;
    }

    /** The flow {@link #put} wrote at {@code at}. */
    static Flow get(ByteBuffer chunk, int at) {
        Transport transport = Transport.values()[chunk.get(at) - 1];
        int[] next = {at + 1};
        InetSocketAddress local = getAddress(chunk, next);
        InetSocketAddress remote = getAddress(chunk, next);
        int idLength = chunk.getShort(next[0]);
        String id = null;
        if (idLength >= 0) {
            byte[] octets = new byte[idLength];
            chunk.get(next[0] + 2, octets);
            id = new String(octets, StandardCharsets.UTF_8);
        }
        return new Flow(transport, local, remote, id);
    }

    /** Reads the address at {@code at[0]} and moves it past. */
    private static InetSocketAddress getAddress(ByteBuffer chunk, int[] at) {
        int p = at[0];
        byte kind = chunk.get(p);
        if (kind == NO_ADDRESS) {
            at[0] = p + 1;
            return null;
        }
        InetSocketAddress address;
        try {
            if (kind == V6) {
                byte[] ip = new byte[16];
                chunk.get(p + 1, ip);
                int scope = chunk.getInt(p + 17);
                p += 21;
                int port = Short.toUnsignedInt(chunk.getShort(p));
                address = new InetSocketAddress(scope == 0 ? InetAddress.getByAddress(ip)
                        : Inet6Address.getByAddress(null, ip, scope), port);
            } else if (kind == V4) {
                byte[] ip = new byte[4];
                chunk.get(p + 1, ip);
                p += 5;
                address = new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(chunk.getShort(p)));
            } else {
                byte[] host = new byte[chunk.getShort(p + 1)];
                chunk.get(p + 3, host);
                p += 3 + host.length;
                address = InetSocketAddress.createUnresolved(new String(host, StandardCharsets.UTF_8),
                        Short.toUnsignedInt(chunk.getShort(p)));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 octets is always one", e);
        }
        at[0] = p + 2;
        return address;
    }
}
