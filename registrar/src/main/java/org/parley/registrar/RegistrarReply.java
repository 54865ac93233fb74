package org.parley.registrar;

import java.time.Duration;
import java.util.List;
import org.parley.sip.message.SipResponse;

/**
 * The answer to a REGISTER, how long to hold it back (GS-4: slowed answers to a guessing source),
 * the bindings it added or refreshed, and the AOR whose bindings it changed, if any (for
 * {@link RegistrationListener}s).
 */
public record RegistrarReply(SipResponse response, Duration delay, List<Binding> registered, String aor) {
    public RegistrarReply {
        registered = List.copyOf(registered);
    }

    static RegistrarReply now(SipResponse response) {
        return new RegistrarReply(response, Duration.ZERO, List.of(), null);
    }
}
