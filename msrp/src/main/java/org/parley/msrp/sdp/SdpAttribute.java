package org.parley.msrp.sdp;

import java.util.Objects;

/**
 * One {@code a=} line (RFC 4566 §5.13): a property attribute ({@code a=sendonly}) has no value,
 * a value attribute ({@code a=max-size:2048}) has one.
 */
public record SdpAttribute(String name, String value) {
    public SdpAttribute {
        Objects.requireNonNull(name, "name");
    }

    public static SdpAttribute property(String name) {
        return new SdpAttribute(name, null);
    }

    public boolean hasValue() {
        return value != null;
    }

    static SdpAttribute parse(String text) throws MalformedSdp {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        if (!Sdp.TOKEN.matcher(name).matches()) {
            throw MalformedSdp.syntax("attribute name is not a token: a=" + text);
        }
        return new SdpAttribute(name, colon < 0 ? null : text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
