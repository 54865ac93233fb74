package org.parley.msrp.testpeer;

import java.io.IOException;
import java.io.InputStream;

/** (RFC 4975 §6.1 TCP/TLS, RFC 7977 §5 WebSocket) A byte pipe to an MSRP peer: a TCP or TLS socket, or a WebSocket carrying one MSRP message per WebSocket message. */
public interface Link extends AutoCloseable {
    InputStream in();

    /** Sends one whole MSRP message (one WebSocket message on a WebSocket link). */
    void send(byte[] message) throws IOException;

    /** The peer closed (or reset) the link: reads end. */
    boolean closedByPeer();

    @Override
    void close() throws IOException;
}
