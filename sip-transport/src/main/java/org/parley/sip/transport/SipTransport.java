package org.parley.sip.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipResponse;

/** What the layers above need of the transports: sending, and knowing whether a flow still stands. */
public interface SipTransport {

    /**
     * Sends over an existing flow: on its connection for TCP/TLS/WS/WSS (fails when the
     * connection is gone: RFC 5626 flow failure), to the remote address for UDP.
     */
    CompletableFuture<Flow> send(SipMessage message, Flow flow);

    /**
     * Sends to a destination, reusing an open connection to it or opening one (TCP/TLS); WS/WSS
     * cannot be opened by the server and fail unless a connection to that address is open.
     */
    CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination);

    /**
     * Sends a response to a request that came in on {@code requestFlow}, per RFC 3261 §18.2.2 and
     * RFC 3581: over the same connection when it is still open, else to the address the top Via
     * (with received/rport) names.
     */
    CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow);

    /**
     * {@link #sendResponse(SipResponse, Flow)} for a response already encoded as {@code wire} by a
     * caller that keeps the octets (a transaction that will repeat them, RFC 3261 §17.2.2): a
     * transport that writes octets as they are sends these instead of encoding the response again.
     */
    default CompletableFuture<Flow> sendResponse(SipResponse response, byte[] wire, Flow requestFlow) {
        return sendResponse(response, requestFlow);
    }

    /**
     * Sends again, over the flow its first send went out on, the wire form of a response sent
     * before: what a completed transaction keeps to answer a retransmitted request (RFC 3261
     * §17.2.2) instead of the parsed message. This default parses the octets back and sends the
     * message; a transport that can write octets as they are does so.
     */
    default CompletableFuture<Flow> resend(byte[] wire, Flow flow) {
        return send(SipParser.parse(wire), flow);
    }

    boolean isOpen(Flow flow);

    /** The address and port this server listens on for a transport, as put in Via and Record-Route. */
    InetSocketAddress advertised(Transport transport);
}
