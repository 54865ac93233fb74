package org.parley.msrp.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.parley.msrp.MsrpTransport;
import org.parley.msrp.MsrpUri;

/**
 * An MSRP stream of an offer or answer (RFC 4975 §8): {@code m=message <port> TCP/MSRP|TCP/TLS/MSRP *}
 * with its {@code a=path} (the URIs to reach this end, relays first, the endpoint last),
 * {@code a=accept-types} (required), {@code a=accept-wrapped-types}, {@code a=max-size},
 * {@code a=setup} (RFC 6135: who opens the connection), the direction, and the file-transfer
 * attributes of RFC 5547. Attributes this model does not know are kept in {@code others}, in order.
 */
public record MsrpMedia(int port, boolean tls, List<String> formats, Connection connection, List<MsrpUri> path,
                        List<String> acceptTypes, List<String> acceptWrappedTypes, OptionalLong maxSize,
                        Optional<Setup> setup, Direction direction, Optional<FileTransfer> file,
                        List<SdpAttribute> others) {
    public static final String TCP = "TCP/MSRP";
    public static final String TLS = "TCP/TLS/MSRP";
    private static final Set<String> OWN = Set.of("path", "accept-types", "accept-wrapped-types", "max-size", "setup",
            "sendrecv", "sendonly", "recvonly", "inactive", "file-selector", "file-transfer-id", "file-disposition",
            "file-date", "file-range");
    // "*" / type "/" ("*" / subtype), RFC 4975 §8.6 (media parameters are not allowed there)
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "\\*|[A-Za-z0-9!#$&.+\\-^_]+/(\\*|[A-Za-z0-9!#$&.+\\-^_]+)");

    /** RFC 3264 §5.1 directions; sendrecv when none is given. */
    public enum Direction {
        SENDRECV, SENDONLY, RECVONLY, INACTIVE;

        public String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What the answerer writes for an offer in this direction (RFC 3264 §6.1). */
        public Direction answer() {
            return switch (this) {
                case SENDONLY -> RECVONLY;
                case RECVONLY -> SENDONLY;
                default -> this;
            };
        }
    }

    /** RFC 4145 §4 as RFC 6135 uses it for MSRP connection setup. */
    public enum Setup {
        ACTIVE, PASSIVE, ACTPASS, HOLDCONN;

        public String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MsrpMedia {
        formats = List.copyOf(formats);
        path = List.copyOf(path);
        acceptTypes = List.copyOf(acceptTypes);
        acceptWrappedTypes = List.copyOf(acceptWrappedTypes);
        others = List.copyOf(others);
        if (path.isEmpty() || acceptTypes.isEmpty()) {
            throw new IllegalArgumentException("an MSRP stream needs a path and accept-types");
        }
    }

    /** A chat stream: sendrecv, format "*", no file. */
    public static MsrpMedia chat(int port, boolean tls, Connection connection, List<MsrpUri> path,
                                 List<String> acceptTypes) {
        return new MsrpMedia(port, tls, List.of("*"), connection, path, acceptTypes, List.of(), OptionalLong.empty(),
                Optional.empty(), Direction.SENDRECV, Optional.empty(), List.of());
    }

    /** The endpoint's own URI: the last of the path (RFC 4975 §8.1). */
    public MsrpUri endpoint() {
        return path.getLast();
    }

    /**
     * The listener of an answering endpoint this offer can reach: TLS for TCP/TLS/MSRP, TCP for
     * TCP/MSRP, and their WebSocket forms when the offerer's own URI is a WebSocket one (RFC 7977).
     */
    public MsrpTransport listenerTransport() {
        boolean ws = endpoint().transport().equalsIgnoreCase("ws");
        return tls ? ws ? MsrpTransport.WSS : MsrpTransport.TLS : ws ? MsrpTransport.WS : MsrpTransport.TCP;
    }

    public MsrpMedia withPath(List<MsrpUri> newPath) {
        return new MsrpMedia(port, tls, formats, connection, newPath, acceptTypes, acceptWrappedTypes, maxSize, setup,
                direction, file, others);
    }

    public MsrpMedia withDirection(Direction d) {
        return new MsrpMedia(port, tls, formats, connection, path, acceptTypes, acceptWrappedTypes, maxSize, setup, d,
                file, others);
    }

    public MsrpMedia withFile(Optional<FileTransfer> f) {
        return new MsrpMedia(port, tls, formats, connection, path, acceptTypes, acceptWrappedTypes, maxSize, setup,
                direction, f, others);
    }

    static MsrpMedia from(MediaDescription m, Optional<Connection> sessionConnection) throws MalformedSdp {
        boolean tls;
        if (m.protocol().equals(TLS)) {
            tls = true;
        } else if (m.protocol().equals(TCP)) {
            tls = false;
        } else {
            throw MalformedSdp.notAcceptable("m=message over " + m.protocol() + ", not " + TCP + " or " + TLS);
        }
        Connection c = m.connection().or(() -> sessionConnection).orElseThrow(
                () -> MalformedSdp.syntax("no c= for m=message"));
        List<MsrpUri> path = new ArrayList<>();
        for (String u : words(single(m, "path").orElseThrow(() -> MalformedSdp.notAcceptable(
                "m=message without a=path (RFC 4975 §8.1)")), "path")) {
            path.add(MsrpUri.parse(u).orElseThrow(() -> MalformedSdp.notAcceptable("a=path: not an MSRP URI: " + u)));
        }
        if (path.getLast().sessionId().isEmpty()) {
            throw MalformedSdp.notAcceptable("a=path: the endpoint URI has no session id: " + path.getLast());
        }
        List<String> accept = types(single(m, "accept-types").orElseThrow(() -> MalformedSdp.notAcceptable(
                "m=message without a=accept-types (RFC 4975 §8.6)")), "accept-types");
        List<String> wrapped = single(m, "accept-wrapped-types").isPresent()
                ? types(single(m, "accept-wrapped-types").get(), "accept-wrapped-types") : List.of();
        OptionalLong maxSize = OptionalLong.empty();
        Optional<String> size = single(m, "max-size");
        if (size.isPresent()) {
            if (!Sdp.DIGITS.matcher(size.get()).matches()) {
                throw MalformedSdp.notAcceptable("a=max-size is not a number of octets: " + size.get());
            }
            maxSize = OptionalLong.of(Long.parseLong(size.get()));
        }
        Optional<Setup> setup = Optional.empty();
        Optional<String> s = single(m, "setup");
        if (s.isPresent()) {
            try {
                setup = Optional.of(Setup.valueOf(s.get().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw MalformedSdp.notAcceptable("a=setup is not active, passive, actpass or holdconn: " + s.get());
            }
        }
        Direction direction = Direction.SENDRECV;
        int directions = 0;
        for (Direction d : Direction.values()) {
            for (SdpAttribute a : m.attributes(d.attribute())) {
                if (a.hasValue()) {
                    throw MalformedSdp.notAcceptable("a=" + a + " takes no value");
                }
                direction = d;
                directions++;
            }
        }
        if (directions > 1) {
            throw MalformedSdp.notAcceptable("more than one direction attribute on m=message");
        }
        return new MsrpMedia(m.port(), tls, m.formats(), c, path, accept, wrapped, maxSize, setup, direction,
                file(m), m.attributes().stream().filter(a -> !OWN.contains(a.name().toLowerCase(Locale.ROOT))).toList());
    }

    private static Optional<FileTransfer> file(MediaDescription m) throws MalformedSdp {
        Optional<String> selector = single(m, "file-selector");
        Optional<String> id = single(m, "file-transfer-id");
        Optional<String> disposition = single(m, "file-disposition");
        Optional<String> date = single(m, "file-date");
        Optional<String> range = single(m, "file-range");
        if (selector.isEmpty()) {
            if (id.isPresent() || disposition.isPresent() || date.isPresent() || range.isPresent()) {
                throw MalformedSdp.notAcceptable("file-transfer attributes without a=file-selector (RFC 5547 §6)");
            }
            return Optional.empty();
        }
        for (Optional<String> token : List.of(id, disposition)) {
            if (token.isPresent() && !Sdp.TOKEN.matcher(token.get()).matches()) {
                throw MalformedSdp.notAcceptable("a=file-transfer-id and a=file-disposition are tokens: " + token.get());
            }
        }
        FileSelector file = FileSelector.parse(selector.get());
        Optional<FileRange> octets = range.isPresent() ? Optional.of(FileRange.parse(range.get())) : Optional.empty();
        if (octets.isPresent() && file.size().isPresent() && !octets.get().within(file.size().getAsLong())) {
            throw MalformedSdp.notAcceptable("a=file-range:" + octets.get() + " is outside the file of "
                    + file.size().getAsLong() + " octets its a=file-selector names (RFC 5547 §6)");
        }
        return Optional.of(new FileTransfer(file, id, disposition,
                date.isPresent() ? Optional.of(FileDate.parse(date.get())) : Optional.empty(), octets));
    }

    /** The value of an attribute that may appear at most once and must have a value. */
    private static Optional<String> single(MediaDescription m, String name) throws MalformedSdp {
        List<SdpAttribute> found = m.attributes(name);
        if (found.size() > 1) {
            throw MalformedSdp.notAcceptable("a=" + name + " appears more than once");
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!found.getFirst().hasValue() || found.getFirst().value().isBlank()) {
            throw MalformedSdp.notAcceptable("a=" + name + " without a value");
        }
        return Optional.of(found.getFirst().value());
    }

    private static List<String> words(String value, String name) throws MalformedSdp {
        List<String> w = Sdp.fields(value);
        if (w.stream().anyMatch(String::isEmpty)) {
            throw MalformedSdp.notAcceptable("a=" + name + ": entries are separated by single spaces: " + value);
        }
        return w;
    }

    private static List<String> types(String value, String name) throws MalformedSdp {
        List<String> t = words(value, name);
        for (String type : t) {
            if (!MEDIA_TYPE.matcher(type).matches()) {
                throw MalformedSdp.notAcceptable("a=" + name + ": not a media type: " + type);
            }
        }
        return t;
    }

    /** This stream as a media section, the attributes in the order RFC 4975 §8 shows them. */
    public MediaDescription toMedia() {
        List<SdpAttribute> a = new ArrayList<>();
        a.add(new SdpAttribute("accept-types", String.join(" ", acceptTypes)));
        if (!acceptWrappedTypes.isEmpty()) {
            a.add(new SdpAttribute("accept-wrapped-types", String.join(" ", acceptWrappedTypes)));
        }
        maxSize.ifPresent(s -> a.add(new SdpAttribute("max-size", Long.toString(s))));
        setup.ifPresent(s -> a.add(new SdpAttribute("setup", s.attribute())));
        if (direction != Direction.SENDRECV) {
            a.add(SdpAttribute.property(direction.attribute()));
        }
        file.ifPresent(f -> {
            a.add(new SdpAttribute("file-selector", f.selector().toString()));
            f.transferId().ifPresent(id -> a.add(new SdpAttribute("file-transfer-id", id)));
            f.disposition().ifPresent(d -> a.add(new SdpAttribute("file-disposition", d)));
            f.date().ifPresent(d -> a.add(new SdpAttribute("file-date", d.toString())));
            f.range().ifPresent(r -> a.add(new SdpAttribute("file-range", r.toString())));
        });
        a.addAll(others);
        a.add(new SdpAttribute("path", String.join(" ", path.stream().map(MsrpUri::toString).toList())));
        return new MediaDescription("message", port, tls ? TLS : TCP, formats, Optional.of(connection), a);
    }
}
