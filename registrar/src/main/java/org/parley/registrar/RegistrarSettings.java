package org.parley.registrar;

import java.time.Duration;
import org.parley.config.Config;

/** Registration intervals (RFC 3261 §10.2.1.1, §10.3 step 7: 423 below the minimum). */
public record RegistrarSettings(Duration minExpires, Duration maxExpires, Duration defaultExpires) {
    public RegistrarSettings {
        if (minExpires.compareTo(maxExpires) > 0) {
            throw new IllegalArgumentException("registrar.min-expires is above registrar.max-expires");
        }
    }

    /**
     * The {@code registrar.*} keys, in seconds.
     *
     * @throws org.parley.config.ConfigException naming the first bad key
     */
    public static RegistrarSettings from(Config c) {
        int min = c.positive("registrar.min-expires");
        int max = c.positive("registrar.max-expires");
        int dflt = c.positive("registrar.default-expires");
        if (max < min) {
            throw c.invalid("registrar.max-expires", "must not be less than registrar.min-expires (" + min + ")");
        }
        if (dflt < min || dflt > max) {
            throw c.invalid("registrar.default-expires", "must lie between registrar.min-expires and max-expires");
        }
        return new RegistrarSettings(Duration.ofSeconds(min), Duration.ofSeconds(max), Duration.ofSeconds(dflt));
    }
}
