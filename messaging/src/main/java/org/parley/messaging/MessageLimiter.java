package org.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.messaging.store.Limits;

/**
 * Counts submissions against the limits (MO-2, PP2-17, PP2-18): a system-wide cap per second, and
 * per account a rate per minute and a daily volume in messages and bytes. In memory, per node:
 * daily counts start again after a restart (the usage records keep the real history).
 *
 * <p>Every MESSAGE passes here, so a submission that is let through allocates nothing: a window keeps
 * its times as numbers in a ring (not the Instants, which would live for a minute and be copied by
 * the collector, and be read back from cold memory when they leave), the day is a number, and an
 * account's counts change in place (issue 13).
 */
public final class MessageLimiter {
    /** Why a submission is refused, and how long until trying again makes sense. */
    public record Refusal(boolean systemWide, String reason, Duration retryAfter) {
    }

    private static final long SECONDS_PER_DAY = 86_400;

    /**
     * The times of the submissions still inside a window, oldest first, as nanoseconds since 1970
     * (good until 2262), in a ring that grows when full; guarded by its owner.
     */
    private static final class Window {
        private long[] times = new long[16];
        private int first;
        private int size;

        /** Drops the times more than {@code nanos} before {@code now}. */
        void trim(long now, long nanos) {
            while (size > 0 && times[first] < now - nanos) {
                first = (first + 1) & (times.length - 1);
                size--;
            }
        }

        long oldest() {
            return times[first];
        }

        void add(long time) {
            if (size == times.length) {
                long[] grown = new long[times.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = times[(first + i) & (times.length - 1)];
                }
                times = grown;
                first = 0;
            }
            times[(first + size) & (times.length - 1)] = time;
            size++;
        }
    }

    /** One account's submissions of the last minute and of the day (UTC); guarded by itself. */
    private static final class Counts {
        private final Window lastMinute = new Window();
        private long day = Long.MIN_VALUE;
        private int messages;
        private long bytes;
    }

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    private final int systemPerSecond;
    private final Window system = new Window();
    private final Map<String, Counts> accounts = new ConcurrentHashMap<>();

    /** @param systemPerSecond submissions per second for the whole server; 0: no cap (then none is counted) */
    public MessageLimiter(int systemPerSecond) {
        this.systemPerSecond = systemPerSecond;
    }

    /** Checks and, when allowed, counts one submission of {@code bytes} by {@code account}. */
    public Optional<Refusal> admit(String account, long bytes, Limits limits, Instant now) {
        long time = nanos(now);
        if (systemPerSecond > 0) {
            synchronized (system) {
                system.trim(time, SECOND);
                if (system.size >= systemPerSecond) {
                    return Optional.of(new Refusal(true, "Server busy: message rate cap reached", Duration.ofSeconds(1)));
                }
                system.add(time);
            }
        }
        // every submission is counted, limited or not: a limit the operator sets later counts what came before it
        Counts c = accounts.computeIfAbsent(account, k -> new Counts());
        synchronized (c) {
            c.lastMinute.trim(time, MINUTE);
            if (limits.messagesPerMinute() > 0 && c.lastMinute.size >= limits.messagesPerMinute()) {
                Duration wait = Duration.ofNanos(c.lastMinute.oldest() + MINUTE - time);
                return Optional.of(new Refusal(false, "Message rate limit reached (" + limits.messagesPerMinute()
                        + " per minute)", wait.isNegative() ? Duration.ofSeconds(1) : wait));
            }
            long today = Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY);
            if (c.day != today) {
                c.day = today;
                c.messages = 0;
                c.bytes = 0;
            }
            if (limits.messagesPerDay() > 0 && c.messages >= limits.messagesPerDay()) {
                return Optional.of(new Refusal(false, "Daily message limit reached (" + limits.messagesPerDay() + ")",
                        untilTomorrow(today, now)));
            }
            if (limits.bytesPerDay() > 0 && c.bytes + bytes > limits.bytesPerDay()) {
                return Optional.of(new Refusal(false, "Daily message volume reached (" + limits.bytesPerDay() + " bytes)",
                        untilTomorrow(today, now)));
            }
            c.lastMinute.add(time);
            c.messages++;
            c.bytes += bytes;
        }
        return Optional.empty();
    }

    private static Duration untilTomorrow(long today, Instant now) {
        return Duration.between(now, Instant.ofEpochSecond((today + 1) * SECONDS_PER_DAY));
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), SECOND), t.getNano());
    }
}
