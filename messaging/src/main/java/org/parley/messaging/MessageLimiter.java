package org.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.messaging.store.Limits;

/**
 * Counts submissions against the limits (MO-2, PP2-17, PP2-18): a system-wide cap per second, and
 * per account a rate per minute and a daily volume in messages and bytes. In memory, per node:
 * daily counts start again after a restart (the usage records keep the real history).
 */
public final class MessageLimiter {
    /** Why a submission is refused, and how long until trying again makes sense. */
    public record Refusal(boolean systemWide, String reason, Duration retryAfter) {
    }

    private record Day(LocalDate date, int messages, long bytes) {
    }

    private final int systemPerSecond;
    private final Deque<Instant> system = new ArrayDeque<>();
    private final Map<String, Deque<Instant>> minute = new ConcurrentHashMap<>();
    private final Map<String, Day> daily = new ConcurrentHashMap<>();

    public MessageLimiter(int systemPerSecond) {
        this.systemPerSecond = systemPerSecond;
    }

    /** Checks and, when allowed, counts one submission of {@code bytes} by {@code account}. */
    public Optional<Refusal> admit(String account, long bytes, Limits limits, Instant now) {
        synchronized (system) {
            trim(system, now.minusSeconds(1));
            if (systemPerSecond > 0 && system.size() >= systemPerSecond) {
                return Optional.of(new Refusal(true, "Server busy: message rate cap reached", Duration.ofSeconds(1)));
            }
            system.addLast(now);
        }
        Deque<Instant> recent = minute.computeIfAbsent(account, k -> new ArrayDeque<>());
        synchronized (recent) {
            trim(recent, now.minusSeconds(60));
            if (limits.messagesPerMinute() > 0 && recent.size() >= limits.messagesPerMinute()) {
                Duration wait = Duration.between(now, recent.peekFirst().plusSeconds(60));
                return Optional.of(new Refusal(false, "Message rate limit reached (" + limits.messagesPerMinute()
                        + " per minute)", wait.isNegative() ? Duration.ofSeconds(1) : wait));
            }
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            Day d = daily.getOrDefault(account, new Day(today, 0, 0));
            if (!d.date().equals(today)) {
                d = new Day(today, 0, 0);
            }
            Duration untilTomorrow = Duration.between(now, today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            if (limits.messagesPerDay() > 0 && d.messages() >= limits.messagesPerDay()) {
                return Optional.of(new Refusal(false, "Daily message limit reached (" + limits.messagesPerDay() + ")", untilTomorrow));
            }
            if (limits.bytesPerDay() > 0 && d.bytes() + bytes > limits.bytesPerDay()) {
                return Optional.of(new Refusal(false, "Daily message volume reached (" + limits.bytesPerDay() + " bytes)", untilTomorrow));
            }
            recent.addLast(now);
            daily.put(account, new Day(today, d.messages() + 1, d.bytes() + bytes));
        }
        return Optional.empty();
    }

    private static void trim(Deque<Instant> q, Instant before) {
        while (!q.isEmpty() && q.peekFirst().isBefore(before)) {
            q.removeFirst();
        }
    }
}
