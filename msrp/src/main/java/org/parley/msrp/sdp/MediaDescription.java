package org.parley.msrp.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One media section (RFC 4566 §5.14): the {@code m=} line and what follows it up to the next one.
 * Attributes keep their order and their repetitions; {@link MsrpMedia} reads the MSRP ones.
 *
 * @param port 0 for a stream refused or removed (RFC 3264 §6, §8.2)
 */
public record MediaDescription(String media, int port, String protocol, List<String> formats,
                               Optional<Connection> connection, List<SdpAttribute> attributes) {
    public MediaDescription {
        formats = List.copyOf(formats);
        attributes = List.copyOf(attributes);
    }

    /** The value of the first attribute {@code name}, if present (with or without a value). */
    public Optional<SdpAttribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst();
    }

    public List<SdpAttribute> attributes(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name)).toList();
    }

    /** The same section with port 0: how an answer refuses it (RFC 3264 §6). */
    public MediaDescription refused() {
        return new MediaDescription(media, 0, protocol, formats, connection, attributes);
    }

    static MediaDescription parseMLine(String value) throws MalformedSdp {
        List<String> f = Sdp.fields(value);
        if (f.size() < 4 || f.stream().anyMatch(String::isEmpty) || !Sdp.TOKEN.matcher(f.get(0)).matches()) {
            throw MalformedSdp.syntax("m= is not '<media> <port> <proto> <fmt> ...': m=" + value);
        }
        String portField = f.get(1);
        int slash = portField.indexOf('/');
        long port = Sdp.number(slash < 0 ? portField : portField.substring(0, slash), "m=" + value);
        if (port > 65535) {
            throw MalformedSdp.syntax("port out of range: m=" + value);
        }
        if (!f.get(2).matches("[A-Za-z0-9]+(/[A-Za-z0-9]+)*")) {
            throw MalformedSdp.syntax("transport protocol: m=" + value);
        }
        return new MediaDescription(f.get(0), (int) port, f.get(2), f.subList(3, f.size()), Optional.empty(), List.of());
    }

    MediaDescription with(Optional<Connection> c, List<SdpAttribute> a) {
        return new MediaDescription(media, port, protocol, formats, c, a);
    }

    void write(StringBuilder out) {
        out.append("m=").append(media).append(' ').append(port).append(' ').append(protocol);
        formats.forEach(f -> out.append(' ').append(f));
        out.append("\r\n");
        connection.ifPresent(c -> out.append("c=").append(c).append("\r\n"));
        attributes.forEach(a -> out.append("a=").append(a).append("\r\n"));
    }
}
