package org.parley.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/**
 * {@link RegisterBenchmark}'s two operations run on one thread, measured by that thread's CPU time
 * and allocated bytes ({@link ThreadMXBean}) rather than by wall-clock time: on a machine other work
 * keeps busy, JMH's time per operation grows with the load, while the CPU a thread spends and what
 * it allocates per operation barely move. Prints six rounds per operation, the first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.RegisterCpu [OPS_PER_ROUND [REFRESH_LAG_PERCENT]]</pre>
 */
public final class RegisterCpu {
    /** {@code written}: the bindings written behind once per this many calls, the server's timer at 1,600 REGISTER/s. */
    private static final int CALLS_PER_WRITE = 1600;

    private RegisterCpu() {
    }

    /**
     * {@code [OPS_PER_ROUND [REFRESH_LAG_PERCENT]]}; the third operation, {@code written}, is
     * {@code register} with the write-behind run once per {@value #CALLS_PER_WRITE} calls on the same thread.
     */
    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        RegisterBenchmark bench = new RegisterBenchmark();
        if (args.length > 1) {
            bench.refreshLagPercent = Integer.parseInt(args[1]);
        }
        bench.setUp();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String operation : new String[] {"challenge", "register", "written"}) {
            for (int round = 0; round < 6; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    switch (operation) {
                        case "challenge" -> bench.challenge();
                        case "register" -> bench.register();
                        default -> {
                            bench.register();
                            if (i % CALLS_PER_WRITE == CALLS_PER_WRITE - 1) {
                                bench.writeBehind();
                            }
                        }
                    }
                }
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                System.out.printf("%-9s %s %d: %6.1f us CPU/op %7d B/op%n", operation, round < 2 ? "warm-up" : "round  ",
                        round, cpu / 1000.0 / ops, allocated / ops);
            }
        }
        bench.tearDown();
    }
}
