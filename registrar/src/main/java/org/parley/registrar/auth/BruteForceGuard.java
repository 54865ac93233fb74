package org.parley.registrar.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows, then stops, guessing from one source (GS-4, PP2-3): after {@code delayAfter} failures
 * within the window each answer to that source is delayed (doubling, at most 8 s); after
 * {@code blockAfter} the source is refused outright for {@code blockFor}. Keyed by source
 * address only, so one attacker never locks out anybody else.
 */
public final class BruteForceGuard {
    /** What to do with a request from a source. */
    public record Verdict(boolean blocked, Duration delay) {
        static final Verdict PASS = new Verdict(false, Duration.ZERO);
    }

    private record Failures(int count, Instant first, Instant blockedUntil) {
    }

    private final int delayAfter;
    private final int blockAfter;
    private final Duration window;
    private final Duration blockFor;
    private final Map<String, Failures> bySource = new ConcurrentHashMap<>();

    public BruteForceGuard(int delayAfter, int blockAfter, Duration window, Duration blockFor) {
        this.delayAfter = delayAfter;
        this.blockAfter = blockAfter;
        this.window = window;
        this.blockFor = blockFor;
    }

    public Verdict verdict(String source, Instant now) {
        Failures f = bySource.get(source);
        if (f == null) {
            return Verdict.PASS;
        }
        if (f.blockedUntil() != null && now.isBefore(f.blockedUntil())) {
            return new Verdict(true, Duration.ZERO);
        }
        if (f.first().plus(window).isBefore(now)) {
            bySource.remove(source, f);
            return Verdict.PASS;
        }
        if (f.count() >= delayAfter) {
            long seconds = Math.min(8, 1L << Math.min(3, f.count() - delayAfter));
            return new Verdict(false, Duration.ofSeconds(seconds));
        }
        return Verdict.PASS;
    }

    public void failure(String source, Instant now) {
        bySource.compute(source, (k, f) -> {
            if (f == null || f.first().plus(window).isBefore(now) || (f.blockedUntil() != null && !now.isBefore(f.blockedUntil()))) {
                return new Failures(1, now, null);
            }
            int count = f.count() + 1;
            return new Failures(count, f.first(), count >= blockAfter ? now.plus(blockFor) : null);
        });
    }

    public void success(String source) {
        bySource.remove(source);
    }

    /** Drops sources whose window and block have both passed. */
    public void purge(Instant now) {
        for (Iterator<Map.Entry<String, Failures>> it = bySource.entrySet().iterator(); it.hasNext(); ) {
            Failures f = it.next().getValue();
            boolean blockOver = f.blockedUntil() == null || !now.isBefore(f.blockedUntil());
            if (blockOver && f.first().plus(window).isBefore(now)) {
                it.remove();
            }
        }
    }
}
