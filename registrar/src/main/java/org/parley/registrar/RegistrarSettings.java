package org.parley.registrar;

import java.time.Duration;
import org.parley.config.Config;

/**
 * Registration intervals (RFC 3261 §10.2.1.1, §10.3 step 7: 423 below the minimum), how often
 * changed bindings are written to the store ({@link StoreBackedLocationService}; zero = at once) and
 * how far behind the store may let a refreshed binding's expiry lag.
 *
 * @param refreshLagPercent a refresh that moves only the expiry, Call-ID and CSeq is written behind
 *                          only once the stored expiry lags the new one by more than this share of
 *                          the interval granted (0: every refresh is written)
 */
public record RegistrarSettings(Duration minExpires, Duration maxExpires, Duration defaultExpires, Duration writeBehind,
                                int refreshLagPercent) {
    /** The write-behind interval of {@code config/parley.properties}. */
    public static final Duration DEFAULT_WRITE_BEHIND = Duration.ofSeconds(1);
    /** The refresh lag of {@code config/parley.properties}. */
    public static final int DEFAULT_REFRESH_LAG_PERCENT = 10;

    public RegistrarSettings {
        if (minExpires.compareTo(maxExpires) > 0) {
            throw new IllegalArgumentException("registrar.min-expires is above registrar.max-expires");
        }
        if (refreshLagPercent < 0 || refreshLagPercent > 50) {
            throw new IllegalArgumentException("registrar.write-behind.refresh-lag-percent must be 0 to 50");
        }
    }

    /** The intervals, with the default write-behind. */
    public RegistrarSettings(Duration minExpires, Duration maxExpires, Duration defaultExpires) {
        this(minExpires, maxExpires, defaultExpires, DEFAULT_WRITE_BEHIND, DEFAULT_REFRESH_LAG_PERCENT);
    }

    /**
     * The {@code registrar.*} keys, in seconds (the write-behind in milliseconds, its refresh lag in percent).
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
        int lag = c.nonNegative("registrar.write-behind.refresh-lag-percent");
        if (lag > 50) {
            throw c.invalid("registrar.write-behind.refresh-lag-percent", "must be at most 50");
        }
        return new RegistrarSettings(Duration.ofSeconds(min), Duration.ofSeconds(max), Duration.ofSeconds(dflt),
                Duration.ofMillis(c.nonNegative("registrar.write-behind-ms")), lag);
    }
}
