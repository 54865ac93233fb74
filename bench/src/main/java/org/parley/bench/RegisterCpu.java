package org.parley.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/**
 * {@link RegisterBenchmark}'s two operations run on one thread, measured by that thread's CPU time
 * and allocated bytes ({@link ThreadMXBean}) rather than by wall-clock time: on a machine other work
 * keeps busy, JMH's time per operation grows with the load, while the CPU a thread spends and what
 * it allocates per operation barely move. Prints six rounds per operation, the first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.RegisterCpu [OPS_PER_ROUND]</pre>
 */
public final class RegisterCpu {
    private RegisterCpu() {
    }

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        RegisterBenchmark bench = new RegisterBenchmark();
        bench.setUp();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String operation : new String[] {"challenge", "register"}) {
            for (int round = 0; round < 6; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    if (operation.equals("challenge")) {
                        bench.challenge();
                    } else {
                        bench.register();
                    }
                }
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                bench.purge();
                System.out.printf("%-9s %s %d: %6.1f us CPU/op %7d B/op%n", operation, round < 2 ? "warm-up" : "round  ",
                        round, cpu / 1000.0 / ops, allocated / ops);
            }
        }
        bench.tearDown();
    }
}
