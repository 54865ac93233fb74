package org.parley.msrp.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An SDP session description (RFC 4566) as an offer or answer carries it (RFC 3264): the session
 * lines Parley needs ({@code v o s c t}, session attributes) and the media sections in order. Lines
 * Parley has no use for ({@code i u e p b r z k}) are accepted and not kept: a proxy passes the
 * body on untouched, and the descriptions Parley writes itself never need them.
 */
public record SessionDescription(Origin origin, String sessionName, Optional<Connection> connection,
                                 List<SdpAttribute> attributes, List<MediaDescription> media) {
    /** A body larger than this is not a chat offer (a few hundred bytes; file selectors add a few more). */
    public static final int MAX_BYTES = 16 * 1024;

    public SessionDescription {
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /** A description with one MSRP stream, as a client or the server offers or answers (RFC 4975 §8). */
    public static SessionDescription of(Origin origin, MsrpMedia msrp) {
        return new SessionDescription(origin, "-", Optional.empty(), List.of(), List.of(msrp.toMedia()));
    }

    public static SessionDescription parse(byte[] body) throws MalformedSdp {
        if (body.length > MAX_BYTES) {
            throw MalformedSdp.syntax("session description longer than " + MAX_BYTES + " bytes");
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Lines end in CRLF; a bare LF is accepted (RFC 4566 §5 asks parsers to). The order of the
     * session lines is the one RFC 4566 §5 fixes, as far as Parley reads them: v first, then o and s;
     * c before t; attributes after t; media last.
     */
    public static SessionDescription parse(String text) throws MalformedSdp {
        if (text.indexOf('\0') >= 0 || text.indexOf('\uFFFD') >= 0) {
            throw MalformedSdp.syntax("session description is not UTF-8 text");
        }
        String[] lines = text.split("\r?\n", -1);
        int end = lines.length;
        while (end > 0 && lines[end - 1].isEmpty()) {
            end--;
        }
        if (end == 0 || !lines[0].equals("v=0")) {
            throw MalformedSdp.syntax("session description must start with v=0");
        }
        Origin origin = null;
        String name = null;
        Optional<Connection> connection = Optional.empty();
        boolean timed = false;
        List<SdpAttribute> attributes = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaDescription current = null;
        Optional<Connection> mediaConnection = Optional.empty();
        List<SdpAttribute> mediaAttributes = new ArrayList<>();
        for (int i = 1; i < end; i++) {
            String line = lines[i];
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw MalformedSdp.syntax("line " + (i + 1) + " is not '<type>=<value>': " + printable(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (current == null) {
                switch (type) {
                    case 'o' -> {
                        if (origin != null || i != 1) {
                            throw MalformedSdp.syntax("o= must be the second line, once");
                        }
                        origin = Origin.parse(value);
                    }
                    case 's' -> {
                        if (origin == null || name != null || value.isEmpty()) {
                            throw MalformedSdp.syntax("s= must follow o=, once, and not be empty");
                        }
                        name = value;
                    }
                    case 'c' -> {
                        if (name == null || timed || connection.isPresent()) {
                            throw MalformedSdp.syntax("session c= must come once, after s= and before t=");
                        }
                        connection = Optional.of(Connection.parse(value));
                    }
                    case 't' -> {
                        if (name == null) {
                            throw MalformedSdp.syntax("t= before s=");
                        }
                        List<String> f = Sdp.fields(value);
                        if (f.size() != 2) {
                            throw MalformedSdp.syntax("t= is not '<start> <stop>': t=" + value);
                        }
                        Sdp.number(f.get(0), "t=" + value);
                        Sdp.number(f.get(1), "t=" + value);
                        timed = true;
                    }
                    case 'a' -> {
                        if (!timed) {
                            throw MalformedSdp.syntax("session attribute before t=");
                        }
                        attributes.add(SdpAttribute.parse(value));
                    }
                    case 'm' -> {
                        if (!timed) {
                            throw MalformedSdp.syntax("m= before t=");
                        }
                        current = MediaDescription.parseMLine(value);
                    }
                    case 'i', 'u', 'e', 'p', 'b', 'r', 'z', 'k' -> {
                        if (name == null) {
                            throw MalformedSdp.syntax(type + "= before s=");
                        }
                    }
                    default -> throw MalformedSdp.syntax("unknown line type " + type + "=");
                }
            } else {
                switch (type) {
                    case 'm' -> {
                        media.add(current.with(mediaConnection, mediaAttributes));
                        current = MediaDescription.parseMLine(value);
                        mediaConnection = Optional.empty();
                        mediaAttributes = new ArrayList<>();
                    }
                    case 'c' -> {
                        if (mediaConnection.isPresent() || !mediaAttributes.isEmpty()) {
                            throw MalformedSdp.syntax("media c= must come once, before its attributes");
                        }
                        mediaConnection = Optional.of(Connection.parse(value));
                    }
                    case 'a' -> mediaAttributes.add(SdpAttribute.parse(value));
                    case 'i', 'b', 'k' -> {
                        // media title, bandwidth and key lines are allowed here and not used
                    }
                    default -> throw MalformedSdp.syntax(type + "= inside a media section");
                }
            }
        }
        if (origin == null || name == null || !timed) {
            throw MalformedSdp.syntax("session description lacks o=, s= or t=");
        }
        if (current != null) {
            media.add(current.with(mediaConnection, mediaAttributes));
        }
        for (MediaDescription m : media) {
            if (connection.isEmpty() && m.connection().isEmpty()) {
                throw MalformedSdp.syntax("no c= for the session or for m=" + m.media());
            }
        }
        return new SessionDescription(origin, name, connection, attributes, media);
    }

    /** The MSRP streams ({@code m=message}, RFC 4975 §8) with a port other than 0, typed. */
    public List<MsrpMedia> msrp() throws MalformedSdp {
        List<MsrpMedia> out = new ArrayList<>();
        for (MediaDescription m : media) {
            if (m.media().equals("message") && m.port() != 0) {
                out.add(MsrpMedia.from(m, connection));
            }
        }
        return out;
    }

    /** The one MSRP stream a chat offer or answer must have; 488 when there is none. */
    public MsrpMedia chat() throws MalformedSdp {
        List<MsrpMedia> streams = msrp();
        if (streams.isEmpty()) {
            throw MalformedSdp.notAcceptable("no m=message stream over TCP/MSRP or TCP/TLS/MSRP");
        }
        return streams.getFirst();
    }

    public String write() {
        StringBuilder out = new StringBuilder("v=0\r\n");
        out.append("o=").append(origin).append("\r\n");
        out.append("s=").append(sessionName).append("\r\n");
        connection.ifPresent(c -> out.append("c=").append(c).append("\r\n"));
        out.append("t=0 0\r\n");
        attributes.forEach(a -> out.append("a=").append(a).append("\r\n"));
        media.forEach(m -> m.write(out));
        return out.toString();
    }

    public byte[] bytes() {
        return write().getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String line) {
        String cut = line.length() > 40 ? line.substring(0, 40) + "..." : line;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
