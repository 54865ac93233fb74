package org.parley.accounts.gate;

import java.time.Duration;
import org.parley.config.Config;

/**
 * The guard's thresholds and timings (GS-4, PP2-3), one set for every door. Counts are failures
 * within {@code window}.
 *
 * @param pairDelayAfter      failures of one account from one source before that source's refusals
 *                            for it are delayed ({@code firstDelay}, doubling, at most {@code maxDelay})
 * @param pairBlockAfter      failures of one account from one source before that source is refused
 *                            for that account for {@code blockFor}
 * @param sourceBlockAfter    failures from one source, whatever the accounts, before the source is
 *                            refused altogether for {@code blockFor} (password spraying); high, because
 *                            a carrier NAT puts many honest users behind one address
 * @param accountSlowAfter    failures of one account, whatever the sources, before attempts on it
 *                            are admitted at most one per {@code accountInterval} — except from sources
 *                            that logged into it before, which are never slowed this way
 * @param unansweredAfter     how long a SIP challenge may stay unanswered before it is recorded as
 *                            a login the client gave up (issue 14 §1: an algorithm it dislikes)
 */
public record GateSettings(int pairDelayAfter, int pairBlockAfter, int sourceBlockAfter, int accountSlowAfter,
                           Duration window, Duration blockFor, Duration firstDelay, Duration maxDelay,
                           Duration accountInterval, Duration unansweredAfter) {
    public GateSettings {
        if (pairDelayAfter < 1 || pairBlockAfter < pairDelayAfter || sourceBlockAfter < pairBlockAfter
                || accountSlowAfter < 1) {
            throw new IllegalArgumentException("guard thresholds must be positive, block not below delay,"
                    + " the source block not below the per-account block");
        }
    }

    /**
     * The guard's {@code auth.*} keys, checked against each other so the error names the key to fix.
     *
     * @throws org.parley.config.ConfigException naming the first bad key
     */
    public static GateSettings from(Config c) {
        int delay = c.positive("auth.failures-before-delay");
        int block = c.positive("auth.failures-before-block");
        if (block < delay) {
            throw c.invalid("auth.failures-before-block", "must not be less than auth.failures-before-delay");
        }
        int sourceBlock = c.positive("auth.source-failures-before-block");
        if (sourceBlock < block) {
            throw c.invalid("auth.source-failures-before-block", "must not be less than auth.failures-before-block");
        }
        int firstDelay = c.nonNegative("auth.first-delay-ms");
        int maxDelay = c.nonNegative("auth.max-delay-ms");
        if (maxDelay < firstDelay) {
            throw c.invalid("auth.max-delay-ms", "must not be less than auth.first-delay-ms");
        }
        return new GateSettings(delay, block, sourceBlock, c.positive("auth.account-failures-before-slow"),
                c.seconds("auth.failure-window-seconds"),
                c.seconds("auth.block-seconds"), Duration.ofMillis(firstDelay),
                Duration.ofMillis(maxDelay), Duration.ofMillis(c.nonNegative("auth.account-interval-ms")),
                c.seconds("auth.unanswered-challenge-seconds"));
    }

    /** The documented defaults of config/parley.properties. */
    public static GateSettings defaults() {
        return new GateSettings(3, 10, 100, 30, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(32));
    }
}
