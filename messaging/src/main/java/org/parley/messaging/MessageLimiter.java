package org.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.messaging.store.Limits;

/**
 * Counts submissions against the limits (MO-2, PP2-17, PP2-18): a system-wide cap per second, and
 * per account a rate per minute and a daily volume in messages and bytes. In memory, per node:
 * daily counts start again after a restart (the usage records keep the real history).
 *
 * <p>Every MESSAGE passes here, so a submission that is let through allocates nothing but its place
 * in the account's last minute: the windows are compared with the submission's own time, the day is
 * a number, and an account's counts change in place (issue 13).
 */
public final class MessageLimiter {
    /** Why a submission is refused, and how long until trying again makes sense. */
    public record Refusal(boolean systemWide, String reason, Duration retryAfter) {
    }

    private static final long SECONDS_PER_DAY = 86_400;

    /** One account's submissions of the last minute and of the day (UTC); guarded by itself. */
    private static final class Counts {
        private final ArrayDeque<Instant> lastMinute = new ArrayDeque<>();
        private long day = Long.MIN_VALUE;
        private int messages;
        private long bytes;
    }

    private final int systemPerSecond;
    private final ArrayDeque<Instant> system = new ArrayDeque<>();
    private final Map<String, Counts> accounts = new ConcurrentHashMap<>();

    /** @param systemPerSecond submissions per second for the whole server; 0: no cap (then none is counted) */
    public MessageLimiter(int systemPerSecond) {
        this.systemPerSecond = systemPerSecond;
    }

    /** Checks and, when allowed, counts one submission of {@code bytes} by {@code account}. */
    public Optional<Refusal> admit(String account, long bytes, Limits limits, Instant now) {
        if (systemPerSecond > 0) {
            synchronized (system) {
                trim(system, now, 1);
                if (system.size() >= systemPerSecond) {
                    return Optional.of(new Refusal(true, "Server busy: message rate cap reached", Duration.ofSeconds(1)));
                }
                system.addLast(now);
            }
        }
        // every submission is counted, limited or not: a limit the operator sets later counts what came before it
        Counts c = accounts.computeIfAbsent(account, k -> new Counts());
        synchronized (c) {
            trim(c.lastMinute, now, 60);
            if (limits.messagesPerMinute() > 0 && c.lastMinute.size() >= limits.messagesPerMinute()) {
                Duration wait = Duration.between(now, c.lastMinute.peekFirst().plusSeconds(60));
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
            c.lastMinute.addLast(now);
            c.messages++;
            c.bytes += bytes;
        }
        return Optional.empty();
    }

    private static Duration untilTomorrow(long today, Instant now) {
        return Duration.between(now, Instant.ofEpochSecond((today + 1) * SECONDS_PER_DAY));
    }

    /** Drops the times more than {@code seconds} before {@code now}. */
    private static void trim(ArrayDeque<Instant> q, Instant now, long seconds) {
        while (!q.isEmpty() && before(q.peekFirst(), now, seconds)) {
            q.removeFirst();
        }
    }

    /** {@code t.isBefore(now.minusSeconds(seconds))} without the Instant that would make. */
    private static boolean before(Instant t, Instant now, long seconds) {
        long limit = now.getEpochSecond() - seconds;
        return t.getEpochSecond() < limit || t.getEpochSecond() == limit && t.getNano() < now.getNano();
    }
}
