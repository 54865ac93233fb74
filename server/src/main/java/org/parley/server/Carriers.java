package org.parley.server;

import java.util.Locale;

/**
 * How the JDK schedules the server's virtual threads: how many carrier threads run them (one fewer
 * than the CPUs, at least one, unless {@code -Djdk.virtualThreadScheduler.parallelism} says
 * otherwise), and that the pollers which wake a virtual thread blocked on a socket are platform
 * threads (unless {@code -Djdk.pollerMode} says otherwise).
 *
 * <p>Why not the JDK's default, one carrier per CPU: a carrier with nothing to run parks, and handing a
 * virtual thread to it (a datagram's reader passing the socket on, the poller waking a reader)
 * costs a futex wake and two context switches. On two CPUs the second carrier was woken for
 * almost every datagram, and one carrier cost a quarter less CPU per REGISTER call and a fifth to
 * a third less per relayed MESSAGE, and passed higher rates (bench/README.md, "Session 14"). The
 * CPU left over is not idle: the collector's workers, the JIT, the database writers, the timer
 * thread, the pollers and Netty's event loops are platform threads and run there. On N CPUs the
 * carriers get (N − 1)/N of the machine at most, which matters less the larger N is.
 *
 * <p>Why platform pollers ({@code jdk.pollerMode=1}; the JDK's default on Linux, 2, runs them as
 * virtual threads): a virtual poller waits for a carrier behind every runnable virtual thread, so
 * under load a socket that became readable was noticed late, and with one carrier the 99th
 * percentile of XCAP GETs was 350–465 ms against 8–12 ms with platform pollers, at the same
 * throughput and the same CPU per REGISTER (bench/README.md, "Session 15").
 *
 * <p>The JDK reads both properties once, when the first virtual thread is made or first blocks on
 * a socket; {@link #settle} runs first thing in {@code main}, so an in-process caller of
 * {@link Main#run} (the tests) keeps the JDK's defaults.
 */
final class Carriers {
    static final String PROPERTY = "jdk.virtualThreadScheduler.parallelism";
    static final String POLLER_MODE = "jdk.pollerMode";
    /** The JDK's name for pollers on platform threads ({@code SYSTEM_THREADS}). */
    static final String PLATFORM_POLLERS = "1";

    private Carriers() {
    }

    /** Sets both properties to this class's choice where the command line did not. */
    static void settle() {
        System.setProperty(PROPERTY, parallelism(System.getProperty(PROPERTY),
                Runtime.getRuntime().availableProcessors()));
        System.setProperty(POLLER_MODE, pollerMode(System.getProperty(POLLER_MODE)));
    }

    /** {@code given} when there is one, else one fewer than {@code cpus}, at least one. */
    static String parallelism(String given, int cpus) {
        return given != null && !given.isBlank() ? given : Integer.toString(Math.max(1, cpus - 1));
    }

    /** What the start-up line says of {@code mode}, the property's value. */
    static String pollers(String mode) {
        if (mode == null || mode.isBlank()) {
            return "the JDK's default";
        }
        return switch (mode.trim().toUpperCase(Locale.ROOT)) {
            case "1", "SYSTEM_THREADS" -> "platform threads";
            case "2", "VTHREAD_POLLERS" -> "virtual threads";
            default -> mode;
        };
    }

    /** {@code given} when there is one, else platform pollers. */
    static String pollerMode(String given) {
        return given != null && !given.isBlank() ? given : PLATFORM_POLLERS;
    }
}
