package org.parley.registrar;

import java.time.Duration;
import org.parley.sip.message.SipResponse;

/** The answer to a REGISTER and how long to hold it back (GS-4: slowed answers to a guessing source). */
public record RegistrarReply(SipResponse response, Duration delay) {
    static RegistrarReply now(SipResponse response) {
        return new RegistrarReply(response, Duration.ZERO);
    }
}
