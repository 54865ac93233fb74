package org.parley.sip.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * RFC 3261 §17 base timer values (Table 4); every other timer derives from them.
 *
 * @param t1 round-trip time estimate, 500 ms by default
 * @param t2 maximum retransmission interval of non-INVITE requests and INVITE responses, 4 s
 * @param t4 maximum time a message stays in the network, 5 s
 */
public record TimerSettings(Duration t1, Duration t2, Duration t4) {
    public static final TimerSettings DEFAULT =
            new TimerSettings(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5));

    private static final Duration MIN_TIMER_D = Duration.ofSeconds(32);

    public TimerSettings {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        if (t1.isNegative() || t1.isZero() || t2.compareTo(t1) < 0 || t4.isNegative() || t4.isZero()) {
            throw new IllegalArgumentException("timers must be positive with T2 >= T1: " + t1 + ", " + t2 + ", " + t4);
        }
    }

    /** 64*T1: timers B, F, H, J (unreliable), L and M. */
    public Duration transactionTimeout() {
        return t1.multipliedBy(64);
    }

    /** Timer D (§17.1.1.2): at least 32 s on unreliable transports, so the server's retransmissions are absorbed. */
    public Duration timerD(boolean reliable) {
        if (reliable) {
            return Duration.ZERO;
        }
        Duration d = transactionTimeout();
        return d.compareTo(MIN_TIMER_D) > 0 ? d : MIN_TIMER_D;
    }
}
