package org.parley.sip.message;

/** A URI of a scheme SIP does not route (isbn:, http:, soap.beep: ...), kept as written. */
public record OtherUri(String scheme, String text) implements Uri {
    @Override
    public String toString() {
        return text;
    }
}
