package org.parley.conference;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.parley.messaging.Cpim;
import org.parley.sip.message.SipParseException;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Uri;

/**
 * Room messages as session members send and get them: CPIM (RFC 3862) whose From and To name
 * sender and recipient. What comes in is opened — its To says whether it is for the room or one
 * member (private) — and only the encapsulated content goes on, so that the sender's own CPIM
 * headers (their address) never reach the others. What goes out is wrapped anew, the From naming
 * the sender as the room shows them.
 */
final class RoomCpim {
    static final String CONTENT_TYPE = "message/cpim";

    /**
     * A message from a session member.
     *
     * @param to          the one member it is for (a screen name, or outside public rooms an
     *                    address); empty when it is for the whole room
     * @param contentType the type of the content itself (CPIM opened)
     */
    record Inbound(Optional<String> to, String contentType, byte[] body) {
    }

    private RoomCpim() {
    }

    /**
     * Reads what a session member sent: plain text is for the whole room; CPIM is for the room
     * when its To is absent or the room's URI, else for the member the To names.
     *
     * @throws RoomException (bad request) naming what is wrong with a CPIM body
     */
    static Inbound read(String roomUri, String contentType, byte[] content) {
        if (!baseType(contentType).equals(CONTENT_TYPE)) {
            return new Inbound(Optional.empty(), contentType, content);
        }
        Cpim cpim = Cpim.parse(content).orElseThrow(() -> bad("The message/cpim body is not a CPIM message"));
        String type = cpim.contentType().orElseThrow(() -> bad("The CPIM message has no Content-Type for its content"));
        byte[] inner = encapsulatedBody(content);
        Optional<String> to = Optional.ofNullable(cpim.headers().get("to")).map(RoomCpim::uriOf);
        return new Inbound(to.flatMap(u -> recipient(roomUri, u)), type, inner);
    }

    /** The member a CPIM To URI names: the screen name of a room entity, or an address; empty for the room itself. */
    private static Optional<String> recipient(String roomUri, String to) {
        Uri uri;
        try {
            uri = Uri.parse(to);
        } catch (SipParseException | IllegalArgumentException e) {
            throw bad("The CPIM To is not a URI: " + to);
        }
        if (uri instanceof SipUri sip && sip.aor().equalsIgnoreCase(roomUri)) {
            Optional<String> screen = sip.params().get("screen-name");
            return screen.map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        return Optional.of(to);
    }

    /** A room message for a session member, dated {@code at} (RFC 3862 §5.4 DateTime). */
    static byte[] wrap(String fromName, String fromUri, String toUri, Instant at, String contentType, byte[] body) {
        String head = "From: " + Fanout.quoted(fromName) + " <" + fromUri + ">\r\n"
                + "To: <" + toUri + ">\r\n"
                + "DateTime: " + DateTimeFormatter.ISO_INSTANT.format(at) + "\r\n\r\n"
                + "Content-Type: " + contentType.replaceAll("[\\r\\n]", "") + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** The content after the CPIM message headers and the encapsulated MIME headers (RFC 3862 §3). */
    private static byte[] encapsulatedBody(byte[] content) {
        int first = blankLine(content, 0);
        int second = first < 0 ? -1 : blankLine(content, first);
        if (second < 0) {
            throw bad("The CPIM message has no content after its headers");
        }
        return Arrays.copyOfRange(content, second, content.length);
    }

    /** The offset just after the next empty line (CRLF CRLF or LF LF) from {@code from}, or -1. */
    private static int blankLine(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i + 2;
            }
            if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** The URI of a CPIM address header: {@code [Formal-name] <URI>} (RFC 3862 §3.3). */
    private static String uriOf(String value) {
        int lt = value.lastIndexOf('<');
        int gt = value.lastIndexOf('>');
        if (lt < 0 || gt < lt + 2 || !value.substring(gt + 1).isBlank()) {
            throw bad("The CPIM To is not [name] <URI>: " + value);
        }
        return value.substring(lt + 1, gt).strip();
    }

    static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static RoomException bad(String reason) {
        return new RoomException(RoomException.Kind.BAD_REQUEST, reason);
    }
}
