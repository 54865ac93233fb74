package org.parley.registrar;

import java.time.Duration;
import org.parley.config.Config;

/**
 * Registration intervals (RFC 3261 §10.2.1.1, §10.3 step 7: 423 below the minimum) and how often
 * changed bindings are written to the store ({@link StoreBackedLocationService}; zero = at once).
 */
public record RegistrarSettings(Duration minExpires, Duration maxExpires, Duration defaultExpires, Duration writeBehind) {
    /** The write-behind interval of {@code config/parley.properties}. */
    public static final Duration DEFAULT_WRITE_BEHIND = Duration.ofSeconds(1);

    public RegistrarSettings {
        if (minExpires.compareTo(maxExpires) > 0) {
            throw new IllegalArgumentException("registrar.min-expires is above registrar.max-expires");
        }
    }

    /** The intervals, with the default write-behind. */
    public RegistrarSettings(Duration minExpires, Duration maxExpires, Duration defaultExpires) {
        this(minExpires, maxExpires, defaultExpires, DEFAULT_WRITE_BEHIND);
    }

    /**
     * The {@code registrar.*} keys, in seconds (the write-behind in milliseconds).
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
        return new RegistrarSettings(Duration.ofSeconds(min), Duration.ofSeconds(max), Duration.ofSeconds(dflt),
                Duration.ofMillis(c.nonNegative("registrar.write-behind-ms")));
    }
}
