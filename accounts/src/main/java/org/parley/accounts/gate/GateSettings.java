package org.parley.accounts.gate;

import java.time.Duration;

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

    /** The documented defaults of config/parley.properties. */
    public static GateSettings defaults() {
        return new GateSettings(3, 10, 100, 30, Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(32));
    }
}
