package org.parley.sip.transport;

import java.util.Locale;
import java.util.Optional;

/** The transports Parley speaks; the names are those of the Via header (RFC 3261, RFC 7118). */
public enum Transport {
    UDP(false, false), TCP(true, false), TLS(true, true), WS(true, false), WSS(true, true);

    private final boolean reliable;
    private final boolean secure;

    Transport(boolean reliable, boolean secure) {
        this.reliable = reliable;
        this.secure = secure;
    }

    /** Reliable transports carry no retransmissions (RFC 3261 §17.1.1.2, §17.1.2.2). */
    public boolean reliable() {
        return reliable;
    }

    public boolean secure() {
        return secure;
    }

    public static Optional<Transport> fromVia(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
