package org.parley.sip.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import org.parley.config.Config;

/**
 * How many SIP connections (TCP, TLS, WS, WSS together) the server accepts, and how long it keeps
 * one that does not earn its file descriptor.
 *
 * @param maxConnections    accepted connections in total; beyond, new ones are closed at once
 * @param maxPerAddress     accepted connections from one source address
 * @param fdReserve         file descriptors SIP never takes: a connection is refused while fewer
 *                          than this many are free, so HTTP, the database and the listeners
 *                          themselves can always open one (an accept failing with EMFILE ends
 *                          Helidon's listener for good)
 * @param messageDeadline   a message begun (its first octet after the last whole message) must be
 *                          whole within this, or the connection is closed (slowloris)
 * @param unregisteredIdle  a connection over which nothing is registered is closed after this long
 *                          without a whole message either way
 * @param registeredIdle    the same for a connection a REGISTER was accepted over (RFC 5626 flows
 *                          send a keep-alive every 95-120 s, §4.4.1)
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress, int fdReserve, Duration messageDeadline,
                               Duration unregisteredIdle, Duration registeredIdle) {

    /** Assumed when the process cannot tell its own limit (not a Unix system). */
    static final long UNKNOWN_FD_LIMIT = 4096;
    public static final int DEFAULT_MAX_PER_ADDRESS = 256;
    public static final Duration DEFAULT_MESSAGE_DEADLINE = Duration.ofSeconds(20);
    public static final Duration DEFAULT_UNREGISTERED_IDLE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REGISTERED_IDLE = Duration.ofMinutes(10);

    public ConnectionLimits {
        if (maxConnections < 1 || maxPerAddress < 1 || fdReserve < 0) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        for (Duration d : new Duration[] {messageDeadline, unregisteredIdle, registeredIdle}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("connection deadlines must be positive");
            }
        }
    }

    /**
     * Limits sized from this process's file descriptor limit: a {@code fdReserve} of 0 means a
     * quarter of the limit (at least 128), a {@code maxConnections} of 0 means all the rest.
     */
    public static ConnectionLimits derived(int maxConnections, int maxPerAddress, int fdReserve, Duration messageDeadline,
                                           Duration unregisteredIdle, Duration registeredIdle) {
        long limit = fileDescriptorLimit();
        int reserve = fdReserve > 0 ? fdReserve : defaultReserve(limit);
        int max = maxConnections > 0 ? maxConnections : (int) Math.max(16, Math.min(Integer.MAX_VALUE, limit - reserve));
        return new ConnectionLimits(max, maxPerAddress, reserve, messageDeadline, unregisteredIdle, registeredIdle);
    }

    /**
     * The {@code sip.max-connections*}, {@code sip.fd-reserve} and deadline keys, sized as {@link #derived}.
     *
     * @throws org.parley.config.ConfigException naming the first bad key
     */
    public static ConnectionLimits from(Config c) {
        return derived(c.nonNegative("sip.max-connections"), c.positive("sip.max-connections-per-address"),
                c.nonNegative("sip.fd-reserve"), c.seconds("sip.message-deadline-seconds"),
                c.seconds("sip.unregistered-idle-seconds"), c.seconds("sip.idle-seconds"));
    }

    /** The defaults for this process. */
    public static ConnectionLimits defaults() {
        return derived(0, DEFAULT_MAX_PER_ADDRESS, 0, DEFAULT_MESSAGE_DEADLINE, DEFAULT_UNREGISTERED_IDLE,
                DEFAULT_REGISTERED_IDLE);
    }

    /** A quarter of the limit, at least 128: room for HTTP, the database pool, logs and outgoing SIP. */
    public static int defaultReserve(long fdLimit) {
        return (int) Math.max(128, Math.min(Integer.MAX_VALUE, fdLimit / 4));
    }

    /** The process's limit on open files (RLIMIT_NOFILE), or {@link #UNKNOWN_FD_LIMIT}. */
    public static long fileDescriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return unix.getMaxFileDescriptorCount();
        }
        return UNKNOWN_FD_LIMIT;
    }
}
