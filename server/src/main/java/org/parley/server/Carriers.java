package org.parley.server;

/**
 * How many carrier threads run the server's virtual threads: one fewer than the CPUs, at least
 * one, unless {@code -Djdk.virtualThreadScheduler.parallelism} says otherwise.
 *
 * <p>Why not the JDK's default, one per CPU: a carrier with nothing to run parks, and handing a
 * virtual thread to it (a datagram's reader passing the socket on, the poller waking a reader)
 * costs a futex wake and two context switches. On two CPUs the second carrier was woken for
 * almost every datagram, and one carrier cost a quarter less CPU per REGISTER call and a fifth to
 * a third less per relayed MESSAGE, and passed higher rates (bench/README.md, "Session 14"). The
 * CPU left over is not idle: the collector's workers, the JIT, the database writers, the timer
 * thread, the poller and Netty's event loops are platform threads and run there. On N CPUs the
 * carriers get (N − 1)/N of the machine at most, which matters less the larger N is.
 *
 * <p>The JDK reads the property once, when the first virtual thread is made; {@link #settle} runs
 * first thing in {@code main}, so an in-process caller of {@link Main#run} (the tests) keeps the
 * JDK's default.
 */
final class Carriers {
    static final String PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    private Carriers() {
    }

    /** Sets the property to {@link #parallelism}'s choice when the command line did not. */
    static void settle() {
        System.setProperty(PROPERTY, parallelism(System.getProperty(PROPERTY),
                Runtime.getRuntime().availableProcessors()));
    }

    /** {@code given} when there is one, else one fewer than {@code cpus}, at least one. */
    static String parallelism(String given, int cpus) {
        return given != null && !given.isBlank() ? given : Integer.toString(Math.max(1, cpus - 1));
    }
}
