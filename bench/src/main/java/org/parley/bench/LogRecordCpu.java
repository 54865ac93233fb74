package org.parley.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/**
 * {@link LogRecordBenchmark} measured by the CPU time of the whole process (H2 writes pages on its
 * own threads too) and the bytes all threads allocated, per record, rather than by wall-clock time,
 * which grows with whatever else loads the machine; also the writing thread's own CPU time, which
 * leaves out the compiler's and the collector's threads (steadier while they are still busy).
 * Prints six rounds per design, the first two warm-up.
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" org.parley.bench.LogRecordCpu [DESIGN...]</pre>
 * (default: every design of {@link LogRecordBenchmark}, one after the other, each on a fresh database)
 */
public final class LogRecordCpu {
    private static final int BATCHES_PER_ROUND = 100;

    private LogRecordCpu() {
    }

    public static void main(String[] args) throws Exception {
        if (Usage.asked(args, LogRecordCpu.class, "[DESIGN...]",
                "CPU time (the process and the writing thread) and bytes per usage record and auth attempt, for each\nDESIGN of LogRecordBenchmark given (all by default), each on a fresh database; six rounds, two warm-up.")) {
            return;
        }
        String[] designs = args.length > 0 ? args
                : LogRecordBenchmark.class.getField("design").getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (String design : designs) {
            LogRecordBenchmark bench = new LogRecordBenchmark();
            bench.design = design;
            bench.setUp();
            int records = BATCHES_PER_ROUND * LogRecordBenchmark.BATCH;
            for (int round = 0; round < 6; round++) {
                long cpu = os.getProcessCpuTime();
                long writer = threads.getCurrentThreadCpuTime();
                long allocated = threads.getTotalThreadAllocatedBytes();
                for (int i = 0; i < BATCHES_PER_ROUND; i++) {
                    bench.write();
                }
                cpu = os.getProcessCpuTime() - cpu;
                writer = threads.getCurrentThreadCpuTime() - writer;
                allocated = threads.getTotalThreadAllocatedBytes() - allocated;
                System.out.printf("%-10s %s %d: %6.1f us CPU/record (%5.1f us writer thread) %7d B/record%n", design,
                        round < 2 ? "warm-up" : "round  ", round, cpu / 1000.0 / records, writer / 1000.0 / records,
                        allocated / records);
            }
            bench.tearDown();
        }
    }
}
