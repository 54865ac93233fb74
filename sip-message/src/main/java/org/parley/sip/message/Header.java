package org.parley.sip.message;

/** One header field line; {@code name} is in canonical spelling, {@code value} is unfolded and trimmed. */
public record Header(String name, String value) {
    public Header {
        name = HeaderNames.canonical(name);
    }
}
