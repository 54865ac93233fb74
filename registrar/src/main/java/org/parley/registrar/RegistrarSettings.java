package org.parley.registrar;

import java.time.Duration;

/** Registration intervals (RFC 3261 §10.2.1.1, §10.3 step 7: 423 below the minimum). */
public record RegistrarSettings(Duration minExpires, Duration maxExpires, Duration defaultExpires) {
    public RegistrarSettings {
        if (minExpires.compareTo(maxExpires) > 0) {
            throw new IllegalArgumentException("registrar.min-expires is above registrar.max-expires");
        }
    }
}
