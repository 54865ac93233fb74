package org.parley.sip.transaction;

import java.time.Duration;
import java.util.Objects;
import org.parley.config.Config;

/**
 * RFC 3261 §17 base timer values (Table 4); every other timer derives from them. With them, what
 * the transaction layer may hold for Timers J and K.
 *
 * @param t1 round-trip time estimate, 500 ms by default
 * @param t2 maximum retransmission interval of non-INVITE requests and INVITE responses, 4 s
 * @param t4 maximum time a message stays in the network, 5 s
 * @param answerDeadline how long a non-INVITE server transaction may wait for its final response
 *                       before the layer answers 500 itself (the watchdog), 20 s by default: the
 *                       client gives up at Timer F (64*T1, 32 s), so the answer must leave well
 *                       before that, with room for a few of its retransmissions to fetch it again
 *                       over a lossy path. Not applied to INVITE, which has 100 Trying and Timer C.
 * @param completedMaxMb the direct memory, in MiB, each of the logs of what Timers J and K keep
 *                       of completed transactions may take ({@link CompletedLog}), 512 by default:
 *                       what 8,000 authenticated MESSAGE/s need for Timer J's 32 s (some 280 MiB)
 *                       with room; beyond it the oldest are dropped before their time
 */
public record TimerSettings(Duration t1, Duration t2, Duration t4, Duration answerDeadline, int completedMaxMb) {
    public static final TimerSettings DEFAULT = new TimerSettings(Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(5), Duration.ofSeconds(20), 512);

    private static final Duration MIN_TIMER_D = Duration.ofSeconds(32);

    public TimerSettings {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        Objects.requireNonNull(answerDeadline, "answerDeadline");
        if (t1.isNegative() || t1.isZero() || t2.compareTo(t1) < 0 || t4.isNegative() || t4.isZero()) {
            throw new IllegalArgumentException("timers must be positive with T2 >= T1: " + t1 + ", " + t2 + ", " + t4);
        }
        if (answerDeadline.isNegative() || answerDeadline.isZero()
                || answerDeadline.compareTo(t1.multipliedBy(64)) >= 0) {
            // an answer sent at or after the client's Timer F reaches nobody
            throw new IllegalArgumentException("the answer deadline must be positive and shorter than 64*T1 ("
                    + t1.multipliedBy(64) + "): " + answerDeadline);
        }
        if (completedMaxMb < 1) {
            throw new IllegalArgumentException("the completed transactions' memory must be at least 1 MiB: " + completedMaxMb);
        }
    }

    /**
     * The RFC 3261 base timers with the watchdog's {@code sip.transaction.answer-deadline-ms} and
     * {@code sip.transaction.completed-max-mb}.
     *
     * @throws org.parley.config.ConfigException naming the key
     */
    public static TimerSettings from(Config c) {
        String key = "sip.transaction.answer-deadline-ms";
        Duration deadline = Duration.ofMillis(c.positive(key));
        Duration timerF = DEFAULT.transactionTimeout();
        if (deadline.compareTo(timerF) >= 0) {
            throw c.invalid(key, "must be below the client's Timer F (" + timerF.toMillis()
                    + " ms): an answer after it reaches nobody");
        }
        return new TimerSettings(DEFAULT.t1, DEFAULT.t2, DEFAULT.t4, deadline, c.positive("sip.transaction.completed-max-mb"));
    }

    /** The same timers with another {@link #answerDeadline}. */
    public TimerSettings withAnswerDeadline(Duration deadline) {
        return new TimerSettings(t1, t2, t4, deadline, completedMaxMb);
    }

    /**
     * The chunks each completed log may hold: {@link #completedMaxMb}, but at most a quarter of
     * {@code maxHeap}, which is also the JVM's default limit on direct memory (-XX:MaxDirectMemorySize),
     * so that a small heap leaves Netty's buffers their share.
     */
    int completedChunks(long maxHeap) {
        long quarter = maxHeap / 4 / CompletedLog.CHUNK_BYTES;
        return (int) Math.max(1, Math.min(completedMaxMb, quarter));
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
