package org.parley.sip.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A rate limit on log lines that peers can cause: at most {@code lines} per window, the rest
 * counted and reported with the next line let through, so an attacker cannot flood the log.
 */
final class LogLimiter {
    private final int lines;
    private final long windowNanos;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicInteger inWindow = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();

    LogLimiter(int lines, long windowMillis) {
        this.lines = lines;
        this.windowNanos = windowMillis * 1_000_000L;
    }

    /** Logs one line at WARN when the budget allows, never with a stack trace. */
    void log(Logger logger, String format, Object... args) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > lines) {
            suppressed.incrementAndGet();
            return;
        }
        int dropped = suppressed.getAndSet(0);
        if (!logger.isWarnEnabled()) {
            return;
        }
        String line = MessageFormatter.arrayFormat(format, args).getMessage();
        logger.warn(dropped == 0 ? line : line + " (" + dropped + " similar lines suppressed)");
    }
}
