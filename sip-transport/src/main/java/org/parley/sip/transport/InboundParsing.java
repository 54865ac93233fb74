package org.parley.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.parley.sip.message.RawMessage;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipResponse;

/**
 * Turns the bytes of one whole message (a datagram, a frame cut from a stream, a WebSocket
 * message) into a message, or into the answer a malformed request deserves.
 */
final class InboundParsing {

    /** What came of the bytes. */
    sealed interface Outcome {
    }

    record Accepted(SipMessage message) implements Outcome {
    }

    /** {@code answer} is null when there is nobody to answer (responses, ACKs, unreadable heads). */
    record Refused(SipResponse answer, String fault) implements Outcome {
    }

    private InboundParsing() {
    }

    /**
     * @param datagram true when the bytes are all there is (UDP, WebSocket): a missing
     *                 Content-Length then means "to the end" (RFC 3261 §18.3, RFC 7118 §5)
     */
    static Outcome parse(ByteBuf buf, boolean datagram, int maxBytes) {
        if (buf.readableBytes() > maxBytes) {
            return refuse(buf, 513, "Message Too Large");
        }
        try {
            return new Accepted(SipParser.parse(buf, datagram));
        } catch (SipParseException e) {
            return refuse(buf, e.status(), e.getMessage());
        }
    }

    /**
     * One datagram in an array of its own (UDP), handed over: the parser keeps its head where it
     * stands instead of copying it (issue 13).
     */
    static Outcome parse(byte[] datagram, int maxBytes) {
        if (datagram.length > maxBytes) {
            return refuse(Unpooled.wrappedBuffer(datagram), 513, "Message Too Large");
        }
        try {
            return new Accepted(SipParser.parse(datagram));
        } catch (SipParseException e) {
            return refuse(Unpooled.wrappedBuffer(datagram), e.status(), e.getMessage());
        }
    }

    /**
     * The refusal of a message with this status. Requests get an answer built from the header
     * lines as they came; a malformed response is discarded (RFC 4475 §3.1.2.5) and an ACK is
     * never answered (RFC 3261 §17.2.3).
     */
    static Refused refuse(ByteBuf buf, int status, String reason) {
        RawMessage raw = head(buf);
        if (raw == null || raw.isResponse() || raw.startLine().startsWith("ACK ")) {
            return new Refused(null, reason);
        }
        return new Refused(raw.errorResponse(status, printable(reason)), reason);
    }

    /** The start line and header lines, even when the Content-Length is wrong; null when unreadable. */
    static RawMessage head(ByteBuf buf) {
        try {
            return SipParser.splitHead(buf);
        } catch (SipParseException e) {
            return null;
        }
    }

    /** The parser quotes the offending text; a stray CR or control octet in it must not reach the wire. */
    private static String printable(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        reason.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return sb.toString();
    }
}
