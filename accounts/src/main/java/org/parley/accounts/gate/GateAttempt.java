package org.parley.accounts.gate;

import java.util.Locale;
import java.util.Optional;

/**
 * One attempt to pass the gate, as the door saw it: which door ("sip-register", "sip-message",
 * "http-user", "xcap", ...), from which source address, over which transport, and the account it
 * claims (lower-cased like account names; "" when it claims none yet).
 */
public record GateAttempt(String door, String source, String transport, Optional<String> userAgent,
                          String identity) {
    public GateAttempt {
        identity = identity == null ? "" : identity.strip().toLowerCase(Locale.ROOT);
    }

    public GateAttempt claiming(String name) {
        return new GateAttempt(door, source, transport, userAgent, name);
    }
}
